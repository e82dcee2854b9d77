/** User-facing text of the form scripts (moved to .resx resource files with the localisation work). */
export const messages = {
  negativeQuantity: (value: number): string =>
    `Quantity cannot be negative (${value}). Enter 0 or more; to end the subscription, cancel it instead.`,
};
