// `marketing-etl doctor`: one line per check, with the fix for each failure.
import type { CommandModule } from 'yargs';
import { type DoctorCheck, runDoctor } from '../../doctor.js';
import { EtlError, ExitCode } from '../../errors.js';
import { redact } from '../../redact.js';
import type { Args } from './shared.js';

const LABEL: Record<DoctorCheck['status'], string> = { ok: 'ok  ', warn: 'warn', skip: 'skip', fail: 'FAIL' };

function line(check: DoctorCheck): string {
  const fix = check.status === 'fail' || check.status === 'warn' ? (check.fix ? `  fix: ${check.fix}` : '') : '';
  return redact(`${LABEL[check.status]}  ${check.name}: ${check.detail}${fix}`);
}

export const doctorCommand: CommandModule<object, Args> = {
  command: 'doctor',
  describe: 'Check configuration, credentials, bucket or folder, and httpfs; one line per check',
  handler: async (argv) => {
    const checks = await runDoctor(argv);
    process.stdout.write(`${checks.map(line).join('\n')}\n`);
    const failures = checks.filter((c) => c.status === 'fail');
    if (failures.length > 0) {
      throw new EtlError(`doctor: ${failures.length} of ${checks.length} checks failed (${failures.map((c) => c.name).join(', ')})`, {
        exitCode: ExitCode.usage,
        hint: 'Apply the fix printed on each FAIL line, then run `marketing-etl doctor` again.',
      });
    }
  },
};
