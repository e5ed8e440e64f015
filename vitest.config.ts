import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Prints one line when redis-server or nginx is missing and their tests skip.
    globalSetup: ['test/global-setup.ts'],
    // Test files start real servers and child processes; running them one at
    // a time on a 2-core machine keeps the latency checks free of noise from
    // other test files.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
