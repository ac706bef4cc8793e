import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// Built into web/dist, served by `xianjiao serve --web web/dist` on the same
// origin as the JSON API, so the session cookie and CSRF token just work.
export default defineConfig({
  plugins: [vue()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      output: {
        manualChunks: {
          'element-plus': ['element-plus'],
          echarts: ['echarts/core', 'echarts/charts', 'echarts/components', 'echarts/renderers']
        }
      }
    }
  }
})
