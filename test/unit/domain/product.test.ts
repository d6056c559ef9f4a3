import { describe, expect, it } from '@jest/globals';
import { OutOfStock } from '../../../src/domain/product/product-errors.js';
import { InvalidValue } from '../../../src/domain/shared/invalid-value.js';
import { aProduct } from '../../support/builders.js';

describe('Product', () => {
  it('takes units out of stock', () => {
    const product = aProduct().withStock(5).build();

    product.decreaseStock(2);

    expect(product.stock).toBe(3);
  });

  it('may sell its last unit', () => {
    const product = aProduct().withStock(2).build();

    product.decreaseStock(2);

    expect(product.stock).toBe(0);
  });

  it('never goes below zero stock', () => {
    const product = aProduct().withId(7).withStock(2).build();

    expect(() => product.decreaseStock(3)).toThrow(new OutOfStock(7, 3, 2));
    expect(product.stock).toBe(2);
  });

  it.each([0, -1, 1.5])('rejects a quantity of %p', (quantity) => {
    expect(() => aProduct().build().decreaseStock(quantity)).toThrow(InvalidValue);
  });

  it('cannot be restored with negative stock', () => {
    expect(() => aProduct().withStock(-1).build()).toThrow(InvalidValue);
  });
});
