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

  /** What is wrong with the field, said as the other field errors say it. */
  String fieldMessage() {
    return "is not this account's customer id ("
        + shopper.customerId()
        + "); leave it out or send that one";
  }

  Shopper shopper() {
    return shopper;
  }
}
