import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { CONTENT_SECURITY_POLICY } from './electron/main/window-options';

// The built renderer carries its CSP in a <meta> tag too: Electron does not
// always apply response headers to file:// pages. (frame-ancestors is
// header-only, so it is left out of the tag.) Dev builds keep the dev CSP.
const cspMeta: Plugin = {
  name: 'sessionscope-csp-meta',
  apply: 'build',
  transformIndexHtml(html) {
    const policy = CONTENT_SECURITY_POLICY.split('; ').filter((d) => !d.startsWith('frame-ancestors')).join('; ');
    return html.replace('<head>', `<head>\n    <meta http-equiv="Content-Security-Policy" content="${policy}" />`);
  },
};

// Three builds: main (ESM, also carries the plain-Node CLI entry), preload (one
// CommonJS file: sandboxed preloads cannot load ES modules or other files) and
// the renderer (served from file:// in Electron and by the browser-mode host).
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'electron/main/index.ts'),
          cli: resolve(__dirname, 'electron/host/cli.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // Bundle everything (zod, shared/): a sandboxed preload can only require('electron').
      externalizeDeps: false,
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(__dirname, 'electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    plugins: [react(), cspMeta],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: resolve(__dirname, 'renderer/index.html') },
    },
  },
});
