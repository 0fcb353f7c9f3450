package dev.ordersaga.order.shopper;

/** A shopper asked to place an order for a customer other than its own. */
class NotYourCustomerException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient Shopper shopper;

  NotYourCustomerException(Shopper shopper, String customerId) {
    super(
        "customerId "
            + customerId
            + " is not yours: this account places orders for customer "
            + shopper.customerId()
            + " only (or leave customerId out)");
    this.shopper = shopper;
  }

  Shopper shopper() {
    return shopper;
  }
}
