import { extensions, tables } from '../../dataverse/src/schema';
import { el, leaf, type XmlElement } from '../../dataverse/src/codegen/xml';
import { CHARTS, chartId } from './charts';
import { DASHBOARDS, dashboardId } from './dashboards';
import { formId } from './form-xml';
import { FORMS } from './forms';
import { LANGUAGE_CODE, PUBLISHER, SOLUTION } from './publisher';
import { APP_ROLES, roleId } from './roles';
import { views, viewId } from './views';

/**
 * The model-driven app and its site map. Shapes copy microsoft/powercat-business-approvals-kit's
 * AppModules/…/AppModule.xml and AppModuleSiteMaps/…/AppModuleSiteMap.xml, keeping only the
 * elements the 2018 schema knows (the rest are optional).
 */
export const APP = {
  uniqueName: `${PUBLISHER.prefix}_${SOLUTION.uniqueName}`,
  displayName: 'CSP Billing',
  description: 'Subscriptions and their ledger for sales; imports, reconciliation and invoices for finance.',
  /** The platform's default app icon web resource (present in every organisation). */
  iconWebResourceId: '953b9fac-1e5e-e611-80d6-00155ded156f',
} as const;

/** App module component types (solution component types). */
export const APP_COMPONENT = { entity: 1, view: 26, chart: 59, form: 60, siteMap: 62 } as const;

/** A table's list, or (with `dashboard`) a dashboard: the platform's dashboards page opened on it. */
interface SubAreaDef {
  readonly id: string;
  readonly entity?: string;
  readonly dashboard?: string;
  readonly title: string;
}
interface GroupDef {
  readonly id: string;
  readonly title: string;
  readonly subAreas: readonly SubAreaDef[];
}
interface AreaDef {
  readonly id: string;
  readonly title: string;
  readonly groups: readonly GroupDef[];
}

export const SITE_MAP: readonly AreaDef[] = [
  {
    id: 'cspb_area_billing',
    title: 'CSP Billing',
    groups: [
      {
        id: 'cspb_group_sales',
        title: 'Sales',
        subAreas: [
          { id: 'cspb_sub_accounts', entity: 'account', title: 'Customers' },
          { id: 'cspb_sub_subscriptions', entity: 'cspb_subscription', title: 'Subscriptions' },
          { id: 'cspb_sub_ledger', entity: 'cspb_subscriptionchange', title: 'Subscription ledger' },
          { id: 'cspb_sub_contracts', entity: 'cspb_billingcontract', title: 'Billing contracts' },
          { id: 'cspb_sub_pricelists', entity: 'cspb_pricelist', title: 'Price lists' },
          { id: 'cspb_sub_pricelistitems', entity: 'cspb_pricelistitem', title: 'Price list items' },
          { id: 'cspb_sub_promotions', entity: 'cspb_promotion', title: 'Promotions' },
          { id: 'cspb_sub_onetimecharges', entity: 'cspb_onetimecharge', title: 'One-time charges' },
          { id: 'cspb_sub_offers', entity: 'cspb_offer', title: 'Offers' },
        ],
      },
      {
        id: 'cspb_group_reconciliation',
        title: 'Reconciliation',
        subAreas: [
          { id: 'cspb_sub_dashboard', dashboard: 'reconciliation', title: 'Dashboard' },
          { id: 'cspb_sub_monthend', entity: 'cspb_monthendrun', title: 'Month-end runs' },
          { id: 'cspb_sub_imports', entity: 'cspb_billingimport', title: 'Billing imports' },
          { id: 'cspb_sub_lines', entity: 'cspb_billingline', title: 'Billing lines' },
          { id: 'cspb_sub_runs', entity: 'cspb_reconciliationrun', title: 'Reconciliation runs' },
          { id: 'cspb_sub_discrepancies', entity: 'cspb_discrepancy', title: 'Discrepancies' },
          { id: 'cspb_sub_microsoftprices', entity: 'cspb_microsoftprice', title: 'Microsoft prices' },
          { id: 'cspb_sub_accruals', entity: 'cspb_accrualrun', title: 'Accruals' },
          { id: 'cspb_sub_accruallines', entity: 'cspb_accrualline', title: 'Accrual lines' },
          { id: 'cspb_sub_pricereviews', entity: 'cspb_pricereview', title: 'Price reviews' },
          { id: 'cspb_sub_pricereviewlines', entity: 'cspb_pricereviewline', title: 'Renewal prices' },
        ],
      },
      {
        id: 'cspb_group_invoicing',
        title: 'Invoicing',
        subAreas: [
          { id: 'cspb_sub_invoiceruns', entity: 'cspb_invoicerun', title: 'Invoice runs' },
          { id: 'cspb_sub_invoices', entity: 'cspb_invoice', title: 'Invoices' },
          { id: 'cspb_sub_invoicelines', entity: 'cspb_invoiceline', title: 'Invoice lines' },
          { id: 'cspb_sub_invoicenumbering', entity: 'cspb_invoicenumbering', title: 'Invoice numbering' },
          { id: 'cspb_sub_exchangerates', entity: 'cspb_exchangerate', title: 'Exchange rates' },
          { id: 'cspb_sub_postingruns', entity: 'cspb_postingrun', title: 'Posting runs' },
          { id: 'cspb_sub_accountingmappings', entity: 'cspb_accountingmapping', title: 'Accounting mappings' },
        ],
      },
    ],
  },
];

const titles = (text: string): XmlElement => el('Titles', null, el('Title', { LCID: LANGUAGE_CODE, Title: text }));

/**
 * A dashboard sub-area: the platform's dashboards page (`/workplace/home_dashboards.aspx`, as the
 * default site map's nav_dashboards, "Default SiteMap XML" on Learn) opened on our dashboard
 * (`DefaultDashboard`, SiteMapType.xsd: "the GUID for default dashboard to be displayed").
 */
function dashboardTarget(sub: SubAreaDef): Record<string, string> {
  if (!sub.dashboard) return {};
  const dashboard = DASHBOARDS.find((d) => d.key === sub.dashboard);
  if (!dashboard) throw new Error(`site map ${sub.id} opens dashboard ${sub.dashboard}, which dashboards.ts does not define`);
  return { Url: '/workplace/home_dashboards.aspx', DefaultDashboard: dashboardId(dashboard) };
}

export function appModuleSiteMapXml(): XmlElement {
  return el(
    'AppModuleSiteMap',
    null,
    leaf('SiteMapUniqueName', APP.uniqueName),
    el(
      'SiteMap',
      { IntroducedVersion: '7.0.0.0' },
      SITE_MAP.map((area) =>
        el(
          'Area',
          { Id: area.id, ShowGroups: 'true', IntroducedVersion: '7.0.0.0' },
          titles(area.title),
          area.groups.map((group) =>
            el(
              'Group',
              { Id: group.id, IntroducedVersion: '7.0.0.0', IsProfile: 'false' },
              titles(group.title),
              group.subAreas.map((sub) =>
                el(
                  'SubArea',
                  {
                    Id: sub.id,
                    Entity: sub.entity,
                    ...dashboardTarget(sub),
                    Client: 'All,Outlook,OutlookLaptopClient,OutlookWorkstationClient,Web',
                    AvailableOffline: 'true',
                    PassParams: 'false',
                    Sku: 'All,OnPremise,Live,SPLA',
                  },
                  titles(sub.title),
                ),
              ),
            ),
          ),
        ),
      ),
    ),
    el('LocalizedNames', null, el('LocalizedName', { description: APP.displayName, languagecode: LANGUAGE_CODE })),
  );
}

export function appModuleComponents(): Array<{ type: number; schemaName?: string; id?: string }> {
  return [
    ...[...extensions, ...tables].map((t) => ({ type: APP_COMPONENT.entity, schemaName: t.logicalName })),
    ...views.map((v) => ({ type: APP_COMPONENT.view, id: viewId(v.table, v.key) })),
    ...CHARTS.map((c) => ({ type: APP_COMPONENT.chart, id: chartId(c) })),
    ...FORMS.map((f) => ({ type: APP_COMPONENT.form, id: formId(f) })),
    ...DASHBOARDS.map((d) => ({ type: APP_COMPONENT.form, id: dashboardId(d) })),
    { type: APP_COMPONENT.siteMap, schemaName: APP.uniqueName },
  ];
}

export function appModuleXml(): XmlElement {
  return el(
    'AppModule',
    null,
    leaf('UniqueName', APP.uniqueName),
    leaf('IntroducedVersion', '1.0.0.0'),
    leaf('WebResourceId', APP.iconWebResourceId),
    leaf('FormFactor', 1),
    leaf('ClientType', 4),
    el(
      'AppModuleComponents',
      null,
      appModuleComponents().map((c) => el('AppModuleComponent', { type: c.type, schemaName: c.schemaName, id: c.id })),
    ),
    el(
      'AppModuleRoleMaps',
      null,
      APP_ROLES.map((r) => el('Role', { id: roleId(r) })),
    ),
    el('LocalizedNames', null, el('LocalizedName', { description: APP.displayName, languagecode: LANGUAGE_CODE })),
    el('Descriptions', null, el('Description', { description: APP.description, languagecode: LANGUAGE_CODE })),
  );
}
