import { CouponCampaign, type CouponToIssue } from '../../../src/domain/coupon-campaign/coupon-campaign.js';
import { CouponCampaignRepository } from '../../../src/domain/coupon-campaign/coupon-campaign-repository.js';
import { Coupon } from '../../../src/domain/coupon/coupon.js';
import { CouponRepository } from '../../../src/domain/coupon/coupon-repository.js';
import { Order } from '../../../src/domain/order/order.js';
import { OrderRepository } from '../../../src/domain/order/order-repository.js';
import { Product } from '../../../src/domain/product/product.js';
import { ProductRepository } from '../../../src/domain/product/product-repository.js';
import { User } from '../../../src/domain/user/user.js';
import { UserRepository } from '../../../src/domain/user/user-repository.js';

// Hand-written fakes: they store primitives (as a database stores rows), so a test that forgets to
// call `save` sees the old state, exactly as it would with the real adapter.

export class InMemoryProductRepository extends ProductRepository {
  readonly rows = new Map<number, ReturnType<Product['toPrimitives']>>();

  constructor(products: Product[] = []) {
    super();
    products.forEach((product) => this.rows.set(product.id, product.toPrimitives()));
  }

  async findAll(): Promise<Product[]> {
    return [...this.rows.values()].map((row) => Product.fromPrimitives(row));
  }

  async findByIdsForUpdate(ids: readonly number[]): Promise<Product[]> {
    return [...new Set(ids)]
      .sort((a, b) => a - b)
      .flatMap((id) => {
        const row = this.rows.get(id);
        return row ? [Product.fromPrimitives(row)] : [];
      });
  }

  async save(product: Product): Promise<void> {
    this.rows.set(product.id, product.toPrimitives());
  }
}

export class InMemoryUserRepository extends UserRepository {
  readonly rows = new Map<number, ReturnType<User['toPrimitives']>>();

  constructor(users: User[] = []) {
    super();
    users.forEach((user) => this.rows.set(user.id, user.toPrimitives()));
  }

  async findByIdForUpdate(id: number): Promise<User | null> {
    const row = this.rows.get(id);
    return row ? User.fromPrimitives(row) : null;
  }

  async exists(id: number): Promise<boolean> {
    return this.rows.has(id);
  }

  async save(user: User): Promise<void> {
    this.rows.set(user.id, user.toPrimitives());
  }
}

export class InMemoryCouponRepository extends CouponRepository {
  readonly rows = new Map<number, ReturnType<Coupon['toPrimitives']>>();
  /** When each coupon was issued, by coupon id. */
  readonly issuedAt = new Map<number, Date>();

  constructor(coupons: Coupon[] = []) {
    super();
    coupons.forEach((coupon) => this.rows.set(coupon.id, coupon.toPrimitives()));
  }

  async findByIdForUpdate(id: number): Promise<Coupon | null> {
    const row = this.rows.get(id);
    return row ? Coupon.fromPrimitives(row) : null;
  }

  async findIssued(campaignId: number, userId: number): Promise<Coupon | null> {
    const row = [...this.rows.values()].find(
      (coupon) => coupon.campaignId === campaignId && coupon.userId === userId,
    );
    return row ? Coupon.fromPrimitives(row) : null;
  }

  /** Refuses a second coupon of one campaign for one user, as the unique constraint does. */
  async issue(coupon: CouponToIssue, issuedAt: Date): Promise<Coupon> {
    if (await this.findIssued(coupon.campaignId, coupon.userId)) {
      throw new Error(`duplicate coupon of campaign ${coupon.campaignId} for user ${coupon.userId}`);
    }
    const id = Math.max(0, ...this.rows.keys()) + 1;
    const issued = Coupon.fromPrimitives({ id, ...coupon, usedAt: null });
    this.rows.set(id, issued.toPrimitives());
    this.issuedAt.set(id, issuedAt);
    return issued;
  }

  async save(coupon: Coupon): Promise<void> {
    this.rows.set(coupon.id, coupon.toPrimitives());
  }
}

export class InMemoryCouponCampaignRepository extends CouponCampaignRepository {
  readonly rows = new Map<number, ReturnType<CouponCampaign['toPrimitives']>>();

  constructor(campaigns: CouponCampaign[] = []) {
    super();
    campaigns.forEach((campaign) => this.rows.set(campaign.id, campaign.toPrimitives()));
  }

  async findAll(): Promise<CouponCampaign[]> {
    return [...this.rows.values()]
      .sort((a, b) => a.id - b.id)
      .map((row) => CouponCampaign.fromPrimitives(row));
  }

  async findById(id: number): Promise<CouponCampaign | null> {
    const row = this.rows.get(id);
    return row ? CouponCampaign.fromPrimitives(row) : null;
  }

  async findByIdForUpdate(id: number): Promise<CouponCampaign | null> {
    return this.findById(id);
  }

  async save(campaign: CouponCampaign): Promise<void> {
    this.rows.set(campaign.id, campaign.toPrimitives());
  }
}

export class InMemoryOrderRepository extends OrderRepository {
  readonly rows = new Map<string, ReturnType<Order['toPrimitives']>>();
  #sequence = 0;

  nextId(): string {
    this.#sequence += 1;
    return `00000000-0000-4000-8000-${String(this.#sequence).padStart(12, '0')}`;
  }

  async findById(id: string): Promise<Order | null> {
    const row = this.rows.get(id);
    return row ? Order.fromPrimitives(row) : null;
  }

  async add(order: Order): Promise<void> {
    if (this.rows.has(order.id)) throw new Error(`duplicate order id ${order.id}`);
    this.rows.set(order.id, order.toPrimitives());
  }
}
