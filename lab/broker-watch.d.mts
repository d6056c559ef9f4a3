export declare const LAB_GROUP_PREFIX: string;

export declare function takeTurns<T>(
  all: readonly T[],
  urgent: readonly T[],
  limit: number,
  turns: Record<string, number>,
  kind: string,
): T[];
