import { useEffect, useState } from 'react';
import { useFetchClient } from '@strapi/strapi/admin';
import type { MacroView } from '../../../shared/contract';

/** The team's macros (GET /helpdesk-admin/macros), most used first; [] while loading or when none. */
export function useMacros(): MacroView[] {
  const { get } = useFetchClient();
  const [macros, setMacros] = useState<MacroView[]>([]);
  useEffect(() => {
    let live = true;
    get<{ data: MacroView[] }>('/helpdesk-admin/macros')
      .then((response) => live && setMacros(response.data.data))
      .catch(() => live && setMacros([]));
    return () => {
      live = false;
    };
  }, [get]);
  return macros;
}
