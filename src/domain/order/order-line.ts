/** One product in an order, with the price it had when the order was placed. */
export interface OrderLine {
  readonly productId: number;
  readonly productName: string;
  readonly unitPrice: number;
  readonly quantity: number;
}

export function lineAmount(line: OrderLine): number {
  return line.unitPrice * line.quantity;
}
