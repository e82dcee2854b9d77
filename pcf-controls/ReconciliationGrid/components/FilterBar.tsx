import * as React from 'react';
import { Stack } from '@fluentui/react/lib/Stack';
import { SearchBox } from '@fluentui/react/lib/SearchBox';
import { Dropdown, type IDropdownOption } from '@fluentui/react/lib/Dropdown';
import type { GridFilter } from '../model/view';

type ListField = 'categories' | 'statuses' | 'customers';

export interface FilterBarProps {
  readonly filter: GridFilter;
  readonly setFilter: React.Dispatch<React.SetStateAction<GridFilter>>;
  readonly categoryOptions: readonly IDropdownOption[];
  readonly statusOptions: readonly IDropdownOption[];
  readonly customerOptions: readonly IDropdownOption[];
  readonly labels: {
    readonly search: string;
    readonly searchPlaceholder: string;
    readonly category: string;
    readonly status: string;
    readonly customer: string;
  };
}

const SEARCH_STYLES = { root: { minWidth: 200 } };
const BAR_TOKENS = { childrenGap: 8 };

/**
 * Search and the three multi-select filters. Each filter is its own memoised component with
 * stable props, so choosing a category re-renders that dropdown only, not the other two (the
 * customer list holds every customer) nor the search box: a filter's time is the grid's.
 */
export const FilterBar = React.memo(function FilterBar(props: FilterBarProps): React.ReactElement {
  const { filter, setFilter, labels } = props;
  const onSearch = React.useCallback((_?: unknown, value?: string) => setFilter((p) => ({ ...p, search: value ?? '' })), [setFilter]);
  return (
    <Stack horizontal wrap tokens={BAR_TOKENS} verticalAlign="end">
      <MemoSearchBox placeholder={labels.searchPlaceholder} ariaLabel={labels.search} styles={SEARCH_STYLES} onChange={onSearch} data-testid="search" />
      <MultiSelect
        field="categories"
        label={labels.category}
        options={props.categoryOptions}
        selected={filter.categories}
        setFilter={setFilter}
        minWidth={180}
      />
      <MultiSelect field="statuses" label={labels.status} options={props.statusOptions} selected={filter.statuses} setFilter={setFilter} minWidth={120} />
      <MultiSelect field="customers" label={labels.customer} options={props.customerOptions} selected={filter.customers} setFilter={setFilter} minWidth={180} />
    </Stack>
  );
});

const MemoSearchBox = React.memo(SearchBox);

const testIds: Record<ListField, string> = { categories: 'filter-category', statuses: 'filter-status', customers: 'filter-customer' };

const MultiSelect = React.memo(function MultiSelect(props: {
  field: ListField;
  label: string;
  options: readonly IDropdownOption[];
  selected: readonly string[];
  setFilter: FilterBarProps['setFilter'];
  minWidth: number;
}): React.ReactElement {
  const { field, setFilter } = props;
  const onChange = React.useCallback(
    (_: unknown, option?: IDropdownOption): void => {
      if (!option) return;
      setFilter((prev) => {
        const current = prev[field] as readonly string[];
        const next = option.selected ? [...current, String(option.key)] : current.filter((k) => k !== option.key);
        return { ...prev, [field]: next };
      });
    },
    [field, setFilter],
  );
  const styles = React.useMemo(() => ({ root: { minWidth: props.minWidth } }), [props.minWidth]);
  return (
    <Dropdown
      label={props.label}
      ariaLabel={props.label}
      multiSelect
      options={props.options as IDropdownOption[]}
      selectedKeys={props.selected as string[]}
      onChange={onChange}
      styles={styles}
      data-testid={testIds[field]}
    />
  );
});
