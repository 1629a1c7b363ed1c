// placeholder until the scenario command lands
export async function run(_argv: string[]): Promise<number> {
  console.error('sessionscope scenario: not available yet');
  return 2;
}
