// placeholder until the web command lands
export async function run(_argv: string[]): Promise<number> {
  console.error('sessionscope web: not available yet');
  return 2;
}
