import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  // order-lifecycle is linked from ../.. (file:), so its dist/ imports xstate from the repository's node_modules;
  // dedupe makes the page and @xstate/react share one xstate.
  resolve: { dedupe: ['xstate', 'react', 'react-dom'] },
  server: { host: '127.0.0.1', fs: { allow: ['../..'] } },
  preview: { host: '127.0.0.1' },
});
