import type { InsightResults } from './types.js';

/** What a person said about one suggestion, as far as suggesting goes. */
export interface SuggestionFeedback {
  verdict: 'accepted' | 'rejected' | 'snoozed';
  /** Snoozed until, epoch ms. */
  until: number | null;
}

export interface WithheldSuggestion {
  id: string;
  title: string;
  verdict: SuggestionFeedback['verdict'];
  until: number | null;
}

/**
 * Leaves out the suggestions a person has answered: an accepted one is in Home Assistant now,
 * a rejected one is not wanted, a snoozed one waits. `feedback` holds only what still stands.
 * Works on any list of suggestions, the engine's or the report's.
 */
export function withholdAnswered<T extends { id: string; title: string }>(
  suggestions: readonly T[],
  feedback: ReadonlyMap<string, SuggestionFeedback>,
): { kept: T[]; withheld: WithheldSuggestion[] } {
  const withheld: WithheldSuggestion[] = [];
  const kept = suggestions.filter((suggestion) => {
    const said = feedback.get(suggestion.id);
    if (said !== undefined) {
      withheld.push({ id: suggestion.id, title: suggestion.title, ...said });
    }

    return said === undefined;
  });
  return { kept, withheld };
}

export function applyFeedback(
  results: InsightResults,
  feedback: ReadonlyMap<string, SuggestionFeedback>,
): { results: InsightResults; withheld: WithheldSuggestion[] } {
  const { kept, withheld } = withholdAnswered(results.suggestions, feedback);
  return { results: { ...results, suggestions: kept }, withheld };
}
