// A drawing bug must never put React's stack trace in front of an operator mid-procedure: the
// boundary shows one sentence instead, and its owner (index.ts) aborts the run so the record is
// still written and gives the terminal back.
import { Box, Text } from 'ink';
import { Component, useSyncExternalStore, type ReactNode } from 'react';
import type { RunStore } from './run-store';
import { tint } from './theme';

export interface ErrorBoundaryProps {
  onCrash(error: Error): void;
  children?: ReactNode;
}

interface BoundaryState {
  error?: Error;
}

export class TuiErrorBoundary extends Component<ErrorBoundaryProps, BoundaryState> {
  override state: BoundaryState = {};

  static getDerivedStateFromError(error: unknown): BoundaryState {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown): void {
    this.props.onCrash(error instanceof Error ? error : new Error(String(error)));
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <Box flexDirection="column">
        <Text color={tint('red')}>{crashSentence(error)}</Text>
      </Box>
    );
  }
}

export function crashSentence(error: Error): string {
  return `handrail: the screen failed to draw (${error.message}); the run is aborted and its record still written — run it again with --plain to use line mode.`;
}

/**
 * Test hook: with HANDRAIL_TEST_TUI_CRASH=<step id> the screen throws while drawing that step, so
 * tests can prove a render crash is contained. Renders nothing otherwise.
 */
export function CrashProbe({ store, stepId }: { store: RunStore; stepId: string }) {
  const { state } = useSyncExternalStore(store.subscribe, store.getSnapshot);
  if (state.current >= 0 && state.steps[state.current]?.id === stepId) throw new Error(`test crash while drawing ${stepId}`);
  return null;
}
