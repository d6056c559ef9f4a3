import type { Coupon } from '../coupon/coupon.js';
import { AggregateRoot } from '../shared/aggregate-root.js';
import { assertNonNegativeInteger, assertPositiveInteger } from '../shared/guards.js';
import { OrderCompleted } from './order-completed.js';
import { InvalidOrder } from './order-errors.js';
import { lineAmount, type OrderLine } from './order-line.js';

export type OrderStatus = 'PLACED' | 'COMPLETED';

export interface OrderPrimitives {
  readonly id: string;
  readonly userId: number;
  readonly lines: readonly OrderLine[];
  readonly couponId: number | null;
  readonly totalAmount: number;
  readonly discountAmount: number;
  readonly paidAmount: number;
  readonly status: OrderStatus;
  readonly placedAt: Date;
  readonly completedAt: Date | null;
}

export interface PlaceOrderParams {
  readonly id: string;
  readonly userId: number;
  readonly lines: readonly OrderLine[];
  /** A coupon the caller has already checked is usable: it only sets the discount here. */
  readonly coupon?: Coupon | null;
  readonly placedAt: Date;
}

export class Order extends AggregateRoot {
  #status: OrderStatus;
  #completedAt: Date | null;

  private constructor(
    readonly id: string,
    readonly userId: number,
    readonly lines: readonly OrderLine[],
    readonly couponId: number | null,
    readonly totalAmount: number,
    readonly discountAmount: number,
    readonly placedAt: Date,
    status: OrderStatus,
    completedAt: Date | null,
  ) {
    super();
    this.#status = status;
    this.#completedAt = completedAt;
  }

  /** A new order, priced from its lines and the coupon's discount. Not yet paid: see `complete()`. */
  static place(params: PlaceOrderParams): Order {
    const lines = validLines(params.lines);
    const totalAmount = lines.reduce((sum, line) => sum + lineAmount(line), 0);
    if (!Number.isSafeInteger(totalAmount)) {
      throw new InvalidOrder(`Order total ${totalAmount} is too large`);
    }
    const discountAmount = params.coupon?.discountFor(totalAmount) ?? 0;
    return new Order(
      params.id,
      params.userId,
      lines,
      params.coupon?.id ?? null,
      totalAmount,
      discountAmount,
      params.placedAt,
      'PLACED',
      null,
    );
  }

  /** Restores an order from storage. Restoring records no events: nothing new happened. */
  static fromPrimitives(primitives: OrderPrimitives): Order {
    return new Order(
      primitives.id,
      primitives.userId,
      primitives.lines,
      primitives.couponId,
      primitives.totalAmount,
      primitives.discountAmount,
      primitives.placedAt,
      primitives.status,
      primitives.completedAt,
    );
  }

  get status(): OrderStatus {
    return this.#status;
  }

  get completedAt(): Date | null {
    return this.#completedAt;
  }

  /** What the customer pays after the discount. */
  get paidAmount(): number {
    return this.totalAmount - this.discountAmount;
  }

  /** Marks the paid order completed and records `OrderCompleted`. An order completes once. */
  complete(at: Date): void {
    if (this.#status !== 'PLACED') {
      throw new InvalidOrder(`Order ${this.id} is already ${this.#status.toLowerCase()}`);
    }
    this.#status = 'COMPLETED';
    this.#completedAt = at;
    this.record(
      new OrderCompleted(
        {
          orderId: this.id,
          userId: this.userId,
          lines: this.lines,
          couponId: this.couponId,
          totalAmount: this.totalAmount,
          discountAmount: this.discountAmount,
          paidAmount: this.paidAmount,
        },
        { occurredAt: at },
      ),
    );
  }

  toPrimitives(): OrderPrimitives {
    return {
      id: this.id,
      userId: this.userId,
      lines: this.lines,
      couponId: this.couponId,
      totalAmount: this.totalAmount,
      discountAmount: this.discountAmount,
      paidAmount: this.paidAmount,
      status: this.#status,
      placedAt: this.placedAt,
      completedAt: this.#completedAt,
    };
  }
}

function validLines(lines: readonly OrderLine[]): readonly OrderLine[] {
  if (lines.length === 0) {
    throw new InvalidOrder('An order needs at least one item');
  }
  const seen = new Set<number>();
  for (const line of lines) {
    if (seen.has(line.productId)) {
      throw new InvalidOrder(
        `Product ${line.productId} appears more than once; order it once with a larger quantity`,
      );
    }
    seen.add(line.productId);
    assertPositiveInteger(line.quantity, 'quantity');
    assertNonNegativeInteger(line.unitPrice, 'unit price');
  }
  // Kept in product-id order, so an order reads the same however its items were listed.
  return lines.map((line) => ({ ...line })).sort((a, b) => a.productId - b.productId);
}
