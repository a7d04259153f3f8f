# Sourced first by every document's shell (test/docs/doc-shell.ts). curl is a function here: it
# runs the real curl, records each command, status and answer under $DOC_TEST_DIR, and fails (status 1,
# so set -e stops the block) on no answer, on >= 500, or on a status the block does not expect
# ($DOC_TEST_EXPECT: 2xx, or 4xx under <!-- doc-test: expect 4xx -->). A -w/--write-out of the doc's
# own is kept: the status is written after it, to stderr, where the function takes it off again.
set -o pipefail
__doc_test_curl_seq=0
curl() {
  local format='' out='' args=() arg shown
  shown=$(printf '%q ' curl "$@")
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
  grep -v '^__DOC_TEST_STATUS__ ' "$meta.err" >&2 || true
  local statuses status verdict=ok
  statuses=$(sed -n 's/^__DOC_TEST_STATUS__ //p' "$meta.err")
  for status in $statuses; do
    if [[ $status == 000 ]]; then verdict="no answer (curl exit code $rc)"
    elif ((status >= 500)); then verdict="answered $status"
    elif [[ $DOC_TEST_EXPECT == 4xx ]]; then
      ((status >= 400 && status < 500)) || verdict="answered $status; the block is marked expect 4xx"
    elif ((status < 200 || status >= 300)); then verdict="answered $status"
    fi
  done
  [[ -z $statuses && $rc != 0 ]] && verdict="curl failed (exit code $rc)"
  printf '%s' "$statuses" > "$meta.status"
  printf '%s' "$rc" > "$meta.rc"
  printf '%s' "$verdict" > "$meta.verdict"
  printf '%s\n' "$meta" >> "$DOC_TEST_DIR/curls-$DOC_TEST_BLOCK"
  if [[ $verdict != ok ]]; then
    printf 'doc-test: %s\n' "$verdict" >&2
    return 1
  fi
  [[ -n $statuses ]] || return "$rc"
}
