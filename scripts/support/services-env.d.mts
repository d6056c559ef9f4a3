export declare const SERVICES_ENV_FILE: string;

export declare function servicesEnv(): Readonly<Record<string, string>>;

export declare function kafkaBrokers(): string;

export declare function redisUrl(): string;

export declare function zipkinUrl(): string;

export declare function useServicesEnv(written?: Readonly<Record<string, string>>): string[];

export declare function withoutPassword(url: string): string;
