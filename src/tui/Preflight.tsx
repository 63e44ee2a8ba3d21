// Before step 1: what the run needs and whether it is there — tools, inputs, secrets, token
// scopes, the signing key. Inputs are asked here, in place; Enter starts the run.
import { CHECK_GLYPH } from '../view/status';
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import type { PreflightSummary } from '../core/prompter';
import type { ToolCheck } from '../core/events';
import { terminalSafeLine } from '../core/terminal-safe';
import { tint } from './theme';

export interface PreflightProps {
  tools?: ToolCheck[];
  inputs: { name: string; value: string }[];
  summary?: PreflightSummary;
  warnings: string[];
  /** Team lines (the outbox, the last rehearsal), shown as given. */
  notices?: string[];
  /** The question being asked (an input), or the start prompt. */
  children?: ReactNode;
  width?: number;
  /** Rows for the whole screen; the question keeps its `promptHeight` rows at the bottom. */
  height?: number;
  promptHeight?: number;
}

const ok = (good: boolean) => <Text color={tint(good ? 'green' : 'red')}>{good ? CHECK_GLYPH.met : CHECK_GLYPH.unmet}</Text>;

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold underline>
        {title}
      </Text>
      {children}
    </Box>
  );
}

export function Preflight({
  tools,
  inputs,
  summary,
  warnings,
  notices = [],
  children,
  width = 80,
  height,
  promptHeight = 1,
}: PreflightProps) {
  const toolList = summary?.tools ?? tools;
  // The checks give way to the question: it is what the operator acts on now.
  const checksRows = height === undefined ? undefined : Math.max(0, height - promptHeight - 1);
  return (
    <Box flexDirection="column" width={width}>
      {/* When the checks do not fit, their end shows (the signing key, warnings such as a missing keychain). */}
      <Box
        flexDirection="column"
        {...(checksRows !== undefined ? { height: checksRows, overflow: 'hidden' as const, justifyContent: 'flex-end' as const } : {})}
      >
        {/* Kept at its own height and clipped by the box above: shrunk to fit, Yoga would draw its lines over each other. */}
        <Box flexDirection="column" flexShrink={0}>
          <Section title="Required tools">
            {toolList === undefined ? (
              <Text dimColor>checking…</Text>
            ) : toolList.length === 0 ? (
              <Text dimColor>none</Text>
            ) : (
              toolList.map((tool) => (
                <Text key={tool.name}>
                  {ok(tool.ok)} {tool.name}
                  {tool.version ? <Text dimColor> {tool.version}</Text> : null}
                  {tool.range ? <Text dimColor> (needs {tool.range})</Text> : null}
                  {!tool.ok && tool.message ? <Text color={tint('red')}> — {tool.message}</Text> : null}
                </Text>
              ))
            )}
          </Section>
          {inputs.length > 0 ? (
            <Section title="Inputs">
              {inputs.map((input) => (
                <Text key={input.name}>
                  {ok(true)} {input.name} = <Text color={tint('cyan')}>{input.value}</Text>
                </Text>
              ))}
            </Section>
          ) : null}
          {summary && summary.secrets.length > 0 ? (
            <Section title="Secrets">
              {summary.secrets.map((secret) => (
                <Text key={secret.name}>
                  {ok(secret.source !== 'missing')} {secret.name}{' '}
                  <Text dimColor>
                    {secret.source === 'missing'
                      ? 'missing — you will be asked for it'
                      : secret.source === 'env'
                        ? `from environment variable ${terminalSafeLine(secret.where ?? '?')}`
                        : secret.source === 'keychain'
                          ? `found in the keychain${secret.where ? ` (account ${terminalSafeLine(secret.where)})` : ''}`
                          : 'typed in'}
                  </Text>
                </Text>
              ))}
            </Section>
          ) : null}
          {summary && summary.scopes.length > 0 ? (
            <Section title="Token scopes">
              {summary.scopes.map((scope) => (
                <Text key={scope.secret}>
                  {ok(scope.missing.length === 0)} {scope.secret}: {scope.required.join(', ')}
                  {scope.missing.length > 0 ? <Text color={tint('red')}> — missing {scope.missing.join(', ')}</Text> : null}
                </Text>
              ))}
            </Section>
          ) : null}
          {summary ? (
            <Section title="Signing key">
              {'missing' in summary.signingKey ? (
                <Text>
                  {ok(false)} {summary.signingKey.missing}
                </Text>
              ) : (
                <Text>
                  {ok(true)} {summary.signingKey.keyid.slice(0, 16)}… <Text dimColor>({summary.signingKey.source})</Text>
                </Text>
              )}
              {summary.identity ? (
                summary.identity.signed ? (
                  <Text>
                    {ok(true)} {summary.identity.text}
                  </Text>
                ) : (
                  <Text dimColor>– {summary.identity.text}</Text>
                )
              ) : null}
            </Section>
          ) : null}
          {notices.length > 0 ? (
            <Section title="Team">
              {notices.map((notice, i) => (
                <Text key={i}>{notice}</Text>
              ))}
            </Section>
          ) : null}
          {warnings.map((warning, i) => (
            <Text key={i} color={tint('yellow')}>
              ! {warning}
            </Text>
          ))}
        </Box>
      </Box>
      <Box marginTop={1} flexDirection="column" flexShrink={0}>
        {children}
      </Box>
    </Box>
  );
}
