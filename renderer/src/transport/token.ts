/** Where the web host's access token lives in the page. */
export const TOKEN_STORAGE_KEY = 'topograph.token';

type PageContext = Pick<Window, 'location' | 'history' | 'sessionStorage'>;

/**
 * Takes the token from `?token=` (the address the web host printed), keeps it in sessionStorage
 * for reloads in this tab, and removes it from the address bar so it is not bookmarked, shared in a
 * screenshot or kept in history. Without `?token=`, the stored one (a reload) is used.
 */
export function takeToken(page: PageContext): string | undefined {
  const url = new URL(page.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    try {
      page.sessionStorage.setItem(TOKEN_STORAGE_KEY, fromUrl);
    } catch {
      // Storage can be disabled; the token then lasts for this page only.
    }
    url.searchParams.delete('token');
    page.history.replaceState(page.history.state, '', `${url.pathname}${url.search}${url.hash}`);
    return fromUrl;
  }
  try {
    return page.sessionStorage.getItem(TOKEN_STORAGE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}
