// placeholder until the broker command lands
export async function run(_argv: string[]): Promise<number> {
  console.error('sessionscope broker: not available yet');
  return 2;
}
