import { useEffect, useId, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { useCreditsContext } from '../credits-context';
import { formatCredits } from '../format';
import { useCredits } from '../hooks/useCredits';
import { CoinIcon } from './CoinIcon';

/**
 * The header balance (UI.md): coin and number, `0` when empty, icon only on a narrow screen, live.
 * A menu button: click, Enter, Space or ↓ opens the menu (balance, Buy Credits, View History); ↑ ↓
 * move, Escape closes and gives the focus back, Tab leaves it.
 */
export function CreditBalance() {
  const { balance, buyCredits } = useCredits();
  const { historyHref } = useCreditsContext();
  const [open, setOpen] = useState(false);
  const trigger = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const menuId = useId();
  const shown = formatCredits(balance ?? 0);

  const items = () => [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) trigger.current?.focus();
  };

  useEffect(() => {
    if (!open) return;
    items()[0]?.focus();
    const outside = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menu.current?.contains(target) && !trigger.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [open]);

  const onTriggerKey = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setOpen(true);
    }
  };
  const onMenuKey = (event: KeyboardEvent) => {
    const list = items();
    const at = list.indexOf(document.activeElement as HTMLElement);
    if (event.key === 'Escape') {
      event.preventDefault();
      close(true);
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      list[(at + step + list.length) % list.length]?.focus();
    } else if (event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      (event.key === 'Home' ? list[0] : list[list.length - 1])?.focus();
    } else if (event.key === 'Tab') {
      setOpen(false);
    }
  };

  return (
    <div className="cw-root cw-balance">
      <button
        ref={trigger}
        type="button"
        className="cw-balance-trigger"
        data-testid="credit-balance"
        aria-label={`${shown} credits`}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen((was) => !was)}
        onKeyDown={onTriggerKey}
      >
        <CoinIcon />
        <span className="cw-balance-amount" data-testid="credit-balance-amount">
          {shown}
        </span>
      </button>
      {open && (
        <div ref={menu} className="cw-menu" data-testid="credit-balance-menu" onKeyDown={onMenuKey}>
          <p className="cw-menu-balance">
            Balance: <strong>{shown}</strong> credits
          </p>
          <div id={menuId} role="menu" aria-label="Credits">
            <button
              type="button"
              role="menuitem"
              className="cw-menu-item"
              data-testid="buy-credits"
              onClick={() => {
                close(false);
                buyCredits();
              }}
            >
              Buy Credits
            </button>
            <a
              role="menuitem"
              className="cw-menu-item"
              data-testid="view-history"
              href={historyHref}
              onClick={() => close(false)}
            >
              View History
            </a>
          </div>
        </div>
      )}
    </div>
  );
}
