#!/usr/bin/env node
// The `lockwell` executable: a committed launcher, so npm links the bin at install time, before the first build.
try {
  await import('../dist/main.js');
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('dist/main.js')) throw err;
  process.stderr.write(
    'lockwell: not built yet: run `npm run build` (or `npx turbo run build --filter=@lockwell/cli`) first\n',
  );
  process.exitCode = 1;
}
