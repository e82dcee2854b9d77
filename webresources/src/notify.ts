/**
 * Shows (or replaces) a form notification. Clearing first makes the replacement explicit: the
 * platform replaces a notification with the same id, but not every host does (xrm-mock keeps the first).
 */
export function notify(form: Xrm.FormContext, message: string, level: Xrm.FormNotificationLevel, id: string): void {
  form.ui.clearFormNotification(id);
  form.ui.setFormNotification(message, level, id);
}
