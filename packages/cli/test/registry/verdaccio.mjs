// A throw-away npm registry for the registry test: Verdaccio on 127.0.0.1 at a port the system
// picks, its storage in the folder given. The tui-chat packages are only ever the ones published
// to it (never proxied); everything else comes through from the uplink. Prints "listening PORT".
import path from 'node:path';
import { runServer } from 'verdaccio';

const [storage, uplink] = process.argv.slice(2);
const own = { access: '$all', publish: '$authenticated', unpublish: '$authenticated' };
const app = await runServer({
  self_path: storage,
  storage: path.join(storage, 'packages'),
  auth: { htpasswd: { file: path.join(storage, 'htpasswd'), max_users: 10 } },
  uplinks: { npmjs: { url: uplink, timeout: '60s', maxage: '30m' } },
  packages: { '@tui-chat/*': own, 'tui-chat': own, '**': { access: '$all', proxy: 'npmjs' } },
  web: { enable: false },
  max_body_size: '50mb',
  log: { type: 'stdout', format: 'pretty', level: 'warn' },
});
app.listen(0, '127.0.0.1', () => process.stdout.write(`listening ${app.address().port}\n`));
process.on('SIGTERM', () => app.close(() => process.exit(0)));
