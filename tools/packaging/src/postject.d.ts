// postject ships no types: the one function singleExecutable.ts calls.
declare module 'postject' {
  export function inject(file: string, name: string, data: Buffer, options: { sentinelFuse: string; machoSegmentName?: string; overwrite?: boolean }): Promise<void>;
}
