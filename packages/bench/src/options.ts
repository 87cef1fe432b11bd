/** The command line of `npm run bench`: its usage text and the options it sets. */
import path from 'node:path';
import { DEFAULT_PG_URL, DEFAULT_REDIS_URL } from './cluster-services.js';
import { loopbackAddresses, type Options } from './harness.js';

export const USAGE = `usage: npm run bench -- [options]

  --quick            the short set (under a minute): smaller counts and durations
  --json FILE        also write the figures as JSON to FILE
  --only NAME        run only this scenario (repeat or comma-separate); see --list
  --workers N        load-generator processes (default 2)
  --profile          CPU-profile the chat server during each measured phase and print its top functions
  --profile-relays   with --profile, profile the relays too
  --cpu-prof         run the chat server under node --cpu-prof (whole life, set-up included)
  --profile-dir DIR  where to keep the profiles (default: a temporary folder)
  --server-module F  measure another build of @tui-chat/server (path of its dist/index.js), e.g. before/after a fix
  --client-dist DIR  measure another build of @tui-chat/client's UI (its dist folder) in the client scenario
  --connect-budget S stop the capacity ramp's last step after S seconds of logins (default 600) and report what it reached
  --no-spread        connect every simulated user from 127.0.0.1 (default: spread over 127.0.0.1-9)
  --pg URL           cluster scenarios: PostgreSQL to make the run's database on (env TUI_CHAT_BENCH_PG,
                     default ${DEFAULT_PG_URL}; the database named is only used for CREATE/DROP DATABASE)
  --redis URL        cluster scenarios: Redis, under a key prefix of the run's own (env TUI_CHAT_BENCH_REDIS,
                     default ${DEFAULT_REDIS_URL}); without either, they are skipped
  --tiny             a tiny configuration that checks the harness's plumbing (used by its test)
  --list             list the scenarios
  -h, --help         this text
`;

export function parseArgs(argv: string[]): Options & { list: boolean; help: boolean } {
  const o: Options & { list: boolean; help: boolean } = {
    quick: false,
    tiny: false,
    only: [],
    json: null,
    workers: 2,
    profile: false,
    cpuProf: false,
    profileRelays: false,
    profileDir: '',
    serverModule: null,
    clientDist: null,
    connectBudgetSeconds: 600,
    addresses: loopbackAddresses(),
    pgUrl: process.env.TUI_CHAT_BENCH_PG || DEFAULT_PG_URL,
    redisUrl: process.env.TUI_CHAT_BENCH_REDIS || DEFAULT_REDIS_URL,
    verbose: true,
    list: false,
    help: false,
  };
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const take = () => inline ?? value(i++, flag);
    switch (flag) {
      case '--quick':
        o.quick = true;
        break;
      case '--tiny':
        o.tiny = true;
        o.quick = true;
        break;
      case '--json':
        o.json = take();
        break;
      case '--only':
        o.only.push(
          ...take()
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        );
        break;
      case '--workers': {
        const n = Number(take());
        if (!Number.isInteger(n) || n < 1 || n > 64) throw new Error('--workers takes a whole number from 1 to 64');
        o.workers = n;
        break;
      }
      case '--profile':
        o.profile = true;
        break;
      case '--profile-relays':
        o.profileRelays = true;
        break;
      case '--cpu-prof':
        o.cpuProf = true;
        break;
      case '--profile-dir':
        o.profileDir = take();
        break;
      case '--server-module':
        o.serverModule = path.resolve(take());
        break;
      case '--client-dist':
        o.clientDist = path.resolve(take());
        break;
      case '--connect-budget': {
        const n = Number(take());
        if (!Number.isFinite(n) || n <= 0) throw new Error('--connect-budget takes a number of seconds');
        o.connectBudgetSeconds = n;
        break;
      }
      case '--pg':
        o.pgUrl = take();
        break;
      case '--redis':
        o.redisUrl = take();
        break;
      case '--no-spread':
        o.addresses = ['127.0.0.1'];
        break;
      case '--quiet':
        o.verbose = false;
        break;
      case '--list':
        o.list = true;
        break;
      case '-h':
      case '--help':
        o.help = true;
        break;
      default:
        throw new Error(`unknown option ${a}`);
    }
  }
  return o;
}
