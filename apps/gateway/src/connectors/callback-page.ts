/** The callback's answer page: no script at all, nothing loaded from anywhere (the CSP says so too). */
export const CALLBACK_PAGE_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function callbackPage(title: string, lines: string[]): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer"><title>${escapeHtml(title)} · Lockwell</title></head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('\n')}
</main>
</body>
</html>
`;
}

/** Where the browser goes after the flow: the stored return address with the outcome appended. */
export function returnLocation(returnTo: string, outcome: Record<string, string>): string {
  const relative = returnTo.startsWith('/');
  const url = new URL(returnTo, 'http://relative.invalid');
  for (const [k, v] of Object.entries(outcome)) url.searchParams.set(k, v);
  return relative ? `${url.pathname}${url.search}${url.hash}` : url.href;
}
