export interface KafkaNode {
  readonly id: number;
  readonly brokerPort: number;
  readonly controllerPort: number;
}

export interface KafkaDeployment {
  readonly name: string;
  readonly nodes: readonly KafkaNode[];
}

export declare function deploymentFor(options: { cluster: boolean }): KafkaDeployment;
export declare function brokersOf(deployment: KafkaDeployment): string;
export declare function runningNodes(deployment: KafkaDeployment): { node: KafkaNode; pid: number }[];
export declare function startKafka(deployment: KafkaDeployment): Promise<string>;
