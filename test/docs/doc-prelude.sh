# Sourced first by every document's shell (test/docs/doc-shell.ts). curl is a function here: it
# runs the real curl, records each command, status and answer under $DOC_TEST_DIR, and fails (status 1,
# so set -e stops the block) on no answer, on >= 500, or on a status the block does not expect
# ($DOC_TEST_EXPECT: 2xx, or 4xx under <!-- doc-test: expect 4xx -->). A -w/--write-out of the doc's
# own is kept: the status is written after it, to stderr, where the function takes it off again.
set -o pipefail
__doc_test_curl_seq=0
curl() {
  local format='' out='' args=() arg shown
  printf -v shown '%q ' curl "$@"
  while (($#)); do
    arg=$1; shift
    case $arg in
      -w|--write-out) format=$1; shift ;;
      -o|--output) out=$1; args+=("$arg" "$1"); shift ;;
      -[a-zA-Z]*w) args+=("${arg%w}"); format=$1; shift ;;
      -[a-zA-Z]*o) out=$1; args+=("$arg" "$1"); shift ;;
      -[dHXuFAebcTmxrEDyYzK]|--data*|--header|--request|--user|--form|--url|--max-time|--connect-timeout|--json|--cookie*|--user-agent|--referer|--retry*|--upload-file)
        args+=("$arg" "$1"); shift ;;
      --) args+=("$arg" "$@"); break ;;
      *) args+=("$arg") ;;
    esac
  done
  __doc_test_curl_seq=$((__doc_test_curl_seq + 1))
  local meta="$DOC_TEST_DIR/curl-$DOC_TEST_BLOCK-$BASHPID-$__doc_test_curl_seq"
  printf "%s" "$shown" > "$meta.cmd"
  printf '%s' "$out" > "$meta.out"
  local rc=0
  command curl "${args[@]}" -w "$format%{stderr}\n__DOC_TEST_STATUS__ %{http_code}\n" 2> "$meta.err" | tee "$meta.body" || rc=$?
  # Builtins only from here: a doc runs dozens of these on a busy machine.
  local line statuses=() status verdict=ok
  while IFS= read -r line || [[ -n $line ]]; do
    if [[ $line == '__DOC_TEST_STATUS__ '* ]]; then statuses+=("${line#__DOC_TEST_STATUS__ }")
    elif [[ -n $line ]]; then printf '%s\n' "$line" >&2
    fi
  done < "$meta.err"
  for status in "${statuses[@]}"; do
    if [[ $status == 000 ]]; then verdict="got no answer (curl exit code $rc)"
    elif ((status >= 500)); then verdict="answered $status"
    elif [[ $DOC_TEST_EXPECT == 4xx ]]; then
      ((status >= 400 && status < 500)) || verdict="answered $status; the block is marked expect 4xx"
    elif ((status < 200 || status >= 300)); then verdict="answered $status"
    fi
  done
  ((${#statuses[@]} == 0 && rc != 0)) && verdict="failed (exit code $rc)"
  printf '%s\n' "${statuses[@]}" > "$meta.status"
  printf '%s' "$rc" > "$meta.rc"
  printf '%s' "$verdict" > "$meta.verdict"
  printf '%s\n' "$meta" >> "$DOC_TEST_DIR/curls-$DOC_TEST_BLOCK"
  if [[ $verdict != ok ]]; then
    printf 'doc-test: %s\n' "$verdict" >&2
    return 1
  fi
  ((${#statuses[@]} > 0)) || return "$rc"
}
