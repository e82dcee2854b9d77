/**
 * The invoice's Issue command (`Cspb.IssueCommand.issueInvoice`, with the form context): after
 * confirmation the draft takes the next invoice number and becomes Issued, through `issueDraft`
 * (dataverse/src/runs/issue.ts), the one way documents are issued.
 */
import { browserOrgClient } from '../../dataverse/src/browser/org-client';
import type { DataverseClient } from '../../dataverse/src/client/types';
import { IssueError, issueDraft } from '../../dataverse/src/runs/issue';
import { CspbInvoiceInvoiceStatus } from '../../dataverse/generated/cspb_invoice';
import { calendarDateOf } from './logic/subscription';
import { t } from './strings';
import { dateText } from './locale';

/** The client issuing goes through; tests replace it. */
export const issueSettings = {
  client: (): DataverseClient => browserOrgClient(Xrm.WebApi as never, Xrm.Utility.getGlobalContext().getClientUrl()),
};

const showAlert = async (text: string): Promise<void> => {
  await Xrm.Navigation.openAlertDialog({ text });
};

export async function issueInvoice(primaryControl: Xrm.FormContext): Promise<boolean> {
  const id = primaryControl.data.entity.getId().replace(/[{}]/g, '').toLowerCase();
  const name = (primaryControl.getAttribute('cspb_name')?.getValue() as string | null) ?? id;
  if (!id) return false;
  // Issued (and cancelled) invoices never change: say so before asking.
  const status = primaryControl.getAttribute('cspb_invoicestatus')?.getValue();
  if (status !== undefined && status !== null && status !== CspbInvoiceInvoiceStatus.Draft) {
    await showAlert(t('invoiceIssuedLocked'));
    return false;
  }
  const answer = await Xrm.Navigation.openConfirmDialog({ text: t('issueConfirm', name) });
  if (!answer.confirmed) return false;
  Xrm.Utility.showProgressIndicator(t('issuing', name));
  let issued;
  try {
    issued = await issueDraft(issueSettings.client(), id, calendarDateOf(new Date()));
  } catch (error) {
    Xrm.Utility.closeProgressIndicator();
    await showAlert(
      error instanceof IssueError
        ? t('invoiceIssuedLocked') + ` (${error.message})`
        : t('issueFailed', name, error instanceof Error ? error.message : String(error)),
    );
    return false;
  }
  Xrm.Utility.closeProgressIndicator();
  await showAlert(t('issueDone', issued.invoiceNumber, dateText(issued.invoiceDate)));
  await primaryControl.data.refresh(false);
  return true;
}
