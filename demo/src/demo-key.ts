const STORAGE_KEY = 'c2m-demo-key';
const FRAGMENT = /^#demo=([A-Za-z0-9_-]+)$/;

/**
 * This start's demo key, from the `#demo=` fragment of the URL c2m printed (a fragment never
 * reaches a server or its logs). Kept for this tab so a reload works, and taken out of the address
 * bar so it is not shared with a screenshot or a copied link. Empty when the page was opened
 * without it: the demo's API then answers 401 and the page says to open the printed URL.
 */
export function takeDemoKey(): string {
  const given = FRAGMENT.exec(location.hash)?.[1];
  if (given) {
    sessionStorage.setItem(STORAGE_KEY, given);
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem(STORAGE_KEY) ?? '';
}
