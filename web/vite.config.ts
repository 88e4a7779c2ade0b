import { defineConfig } from "vite";

// `npm run dev` serves the app with hot reload; /__/firebase/* (the web
// config and emulator ports) comes from the running Hosting emulator.
const hosting = process.env.HOSTING_URL ?? "http://127.0.0.1:5000";

export default defineConfig({
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: {
      "/__": hosting,
    },
  },
});
