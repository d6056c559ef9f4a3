export declare function progressLines(indent: string): {
  progress: (text: string, options?: { fraction?: number }) => void;
  progressDone: (text: string) => void;
};
