/** What a customer asks for. Plain data, already checked for shape at the edge (HTTP). */
export interface PlaceOrderCommand {
  readonly userId: number;
  readonly items: readonly OrderItemRequest[];
  readonly couponId?: number | undefined;
}

export interface OrderItemRequest {
  readonly productId: number;
  readonly quantity: number;
}
