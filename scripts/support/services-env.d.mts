export declare const SERVICES_ENV_FILE: string;

export declare function servicesEnv(): Readonly<Record<string, string>>;

export declare function kafkaBrokers(): string;
