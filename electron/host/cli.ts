/**
 * `sessionscope` command line: one entry, one file per subcommand. Runs in
 * plain Node (built into out/main/cli.js), never imports electron.
 */
const USAGE = `Usage: sessionscope <command> [options]

Commands:
  web        serve the app in a browser (loopback only, token protected)
  broker     run the embedded MQTT broker standalone
  scenario   list or run guided session scenarios against a broker

Run "sessionscope <command> --help" for a command's options.`;

type CommandModule = { run(argv: string[]): Promise<number> };

const commands: Record<string, () => Promise<CommandModule>> = {
  web: () => import('./cli-web'),
  broker: () => import('./cli-broker'),
  scenario: () => import('./cli-scenario'),
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    console.error(`sessionscope: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  const mod = await load();
  return mod.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    // Long-running commands (web, broker) resolve only when they shut down.
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`sessionscope: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 2;
  },
);
