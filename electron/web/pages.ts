/** The few pages the web host writes itself (no scripts: the CSP would refuse inline ones anyway). */

const page = (title: string, body: string): string =>
  `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${title}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1d2433}code{background:#eef1f6;padding:.1rem .3rem;border-radius:3px}</style>
</head>
<body><h1>${title}</h1>${body}</body>
</html>
`;

export const unauthorizedPage = (): string =>
  page(
    'Topograph needs its access token',
    `<p>This address was opened without the web host's access token, or with an old one.</p>
<p>Open the full address printed in the terminal where you started Topograph (<code>npm run web</code>).
It ends with <code>?token=…</code>. Each start of the web host makes a new token.</p>`,
  );

export const tooManyAttemptsPage = (seconds: number): string =>
  page(
    'Too many wrong tokens',
    `<p>This address sent too many wrong access tokens. Wait ${seconds} seconds, then open the full address
printed in the terminal where Topograph runs.</p>`,
  );

export const foreignHostPage = (): string =>
  page(
    'Unknown host name',
    `<p>The web host only answers to its own addresses (for example <code>127.0.0.1</code>), so that other
web sites cannot reach it through their own names. Open the address printed in the terminal.</p>`,
  );
