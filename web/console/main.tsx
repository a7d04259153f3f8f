import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Console } from './Console';
import { consoleStyles } from './styles';

/** The console at /console/ (UI.md "The console"): operators and finance, signed in with an API key. */
const style = document.createElement('style');
style.textContent = consoleStyles;
document.head.appendChild(style);

const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <StrictMode>
      <Console />
    </StrictMode>,
  );
