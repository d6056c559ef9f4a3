import { inject, injectable } from 'inversify';
import { CouponNotFound } from '../../../domain/coupon/coupon-errors.js';
import { CouponRepository } from '../../../domain/coupon/coupon-repository.js';
import type { Coupon } from '../../../domain/coupon/coupon.js';
import { Order } from '../../../domain/order/order.js';
import type { OrderLine } from '../../../domain/order/order-line.js';
import { OrderRepository } from '../../../domain/order/order-repository.js';
import { ProductNotFound } from '../../../domain/product/product-errors.js';
import type { Product } from '../../../domain/product/product.js';
import { ProductRepository } from '../../../domain/product/product-repository.js';
import { UserNotFound } from '../../../domain/user/user-errors.js';
import { UserRepository } from '../../../domain/user/user-repository.js';
import { Clock } from '../../shared/clock.js';
import { DomainEventDispatcher } from '../../shared/events/domain-event-dispatcher.js';
import { Logger } from '../../shared/logger.js';
import { TransactionManager } from '../../shared/transaction-manager.js';
import { toOrderView, type OrderView } from '../order-view.js';
import type { OrderItemRequest, PlaceOrderCommand } from './place-order-command.js';

/**
 * Places an order: take stock, use the coupon, pay with points, complete the order — all in one
 * transaction, so either everything happens or nothing does.
 */
@injectable()
export class PlaceOrder {
  constructor(
    @inject(TransactionManager) private readonly transactions: TransactionManager,
    @inject(UserRepository) private readonly users: UserRepository,
    @inject(ProductRepository) private readonly products: ProductRepository,
    @inject(CouponRepository) private readonly coupons: CouponRepository,
    @inject(OrderRepository) private readonly orders: OrderRepository,
    @inject(DomainEventDispatcher) private readonly events: DomainEventDispatcher,
    @inject(Clock) private readonly clock: Clock,
    @inject(Logger) private readonly logger: Logger,
  ) {}

  async execute(command: PlaceOrderCommand): Promise<OrderView> {
    const order = await this.transactions.run(async () => {
      // BEGIN. Rows are locked in one fixed order (user, products by id, coupon) in every transaction,
      // so two concurrent orders queue behind each other instead of deadlocking.
      const user = await this.users.findByIdForUpdate(command.userId);
      if (!user) throw new UserNotFound(command.userId);
      const { products, lines } = await this.takeStock(command.items);
      const coupon = command.couponId === undefined ? null : await this.lockCoupon(command.couponId);

      const now = this.clock.now(); // read once every lock is held: the order's time is when it really happened
      coupon?.use(user.id, now);

      const order = Order.place({ id: this.orders.nextId(), userId: user.id, lines, coupon, placedAt: now });
      user.payWithPoints(order.paidAmount);
      order.complete(now);

      // Every rule has passed: write the new state of each aggregate.
      for (const product of products) await this.products.save(product);
      if (coupon) await this.coupons.save(coupon);
      await this.users.save(user);
      await this.orders.add(order);

      // Held until the transaction ends: OrderEventListener hears of them before or after COMMIT, as the
      // publishing mode says (listenerPhase in src/infrastructure/di/publishing-modes.ts), and only if the
      // order really exists.
      this.events.dispatch(order.pullDomainEvents());
      return order;
    }); // COMMIT (or ROLLBACK if anything above threw; then no event is published)

    this.logger.info(
      { orderId: order.id, userId: order.userId, paidAmount: order.paidAmount },
      'order placed and committed',
    );
    return toOrderView(order);
  }

  private async takeStock(
    items: readonly OrderItemRequest[],
  ): Promise<{ products: Product[]; lines: OrderLine[] }> {
    const products = await this.products.findByIdsForUpdate(items.map((item) => item.productId));
    const productsById = new Map(products.map((product) => [product.id, product]));
    const lines = items.map((item): OrderLine => {
      const product = productsById.get(item.productId);
      if (!product) throw new ProductNotFound(item.productId);
      product.decreaseStock(item.quantity);
      return {
        productId: product.id,
        productName: product.name,
        unitPrice: product.price,
        quantity: item.quantity,
      };
    });
    return { products, lines };
  }

  private async lockCoupon(couponId: number): Promise<Coupon> {
    const coupon = await this.coupons.findByIdForUpdate(couponId);
    if (!coupon) throw new CouponNotFound(couponId);
    return coupon;
  }
}
