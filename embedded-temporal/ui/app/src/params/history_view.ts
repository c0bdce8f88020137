/** The history views older UI versions had pages for. */
export const match = (param: string) => ['compact', 'feed', 'json'].includes(param);
