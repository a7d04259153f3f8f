/** The coin beside the balance: drawn inline (no image request), decorative (the label says it). */
export function CoinIcon({ className = 'cw-coin' }: { className?: string }) {
  return (
    <svg className={className} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <circle cx="12" cy="12" r="11" fill="#f59e0b" />
      <circle cx="12" cy="12" r="8" fill="#fbbf24" stroke="#b45309" strokeWidth="1.5" />
      <path
        d="M12 7.5v9M9.5 10h5M9.5 14h5"
        stroke="#92400e"
        strokeWidth="1.8"
        strokeLinecap="round"
      />
    </svg>
  );
}
