// Builds the console into dist/, which the gateway serves under `/` with a strict Content-Security-Policy:
// no inline scripts or styles may appear in the output (index.html only links hashed files under /assets/).
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Source maps would publish the console's sources beside it; the repository has them.
    sourcemap: false,
    // Every asset as a file: a `data:` or inline asset would need a looser CSP.
    assetsInlineLimit: 0,
    target: 'es2022',
  },
  server: {
    // `npm run dev -w @lockwell/console`: the gateway (npm start) answers the API; cookies stay same-origin.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
