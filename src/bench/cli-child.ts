// Runs the marketing-etl CLI in this process and, on exit, writes its wall time, CPU and peak RSS to the file named
// by ETL_BENCH_RESULT_FILE, so the bench measures the real command, Node start-up included.
import fs from 'node:fs';

const resultFile = process.env.ETL_BENCH_RESULT_FILE;
process.on('exit', (code) => {
  if (!resultFile) return;
  const usage = process.resourceUsage();
  fs.writeFileSync(
    resultFile,
    JSON.stringify({
      exitCode: code,
      // performance.now() counts from the process's time origin, so Node's own start-up is included.
      seconds: performance.now() / 1000,
      cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
      // maxRSS is in KiB and covers the whole process: DuckDB's threads and worker threads included.
      peakRssMb: usage.maxRSS / 1024,
    }),
  );
});

await import('../cli/main.js');
