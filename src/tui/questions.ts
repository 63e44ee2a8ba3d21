// The engine's questions, queued for the screen. The prompter puts a question here and awaits
// the answer; the container component shows whichever question is first and answers it.
import type { Decision, DriftRequest, Fact, InputRequest, PreflightSummary, ResumeRequest, SecretRequest } from '../core/prompter';
import type { ConfirmStep, Step } from '../core/model';
import { RunAborted } from '../engine/context';

export type Question =
  | { kind: 'begin'; summary: PreflightSummary }
  | { kind: 'input'; request: InputRequest }
  | { kind: 'secret'; request: SecretRequest }
  | { kind: 'confirmStep'; step: Step; display: string; facts?: Fact[] }
  | { kind: 'tasks'; step: ConfirmStep; items: { text: string; checked: boolean }[] }
  | { kind: 'failure'; step: Step; reason: string; exitCode?: number; logPath?: string; changeable?: string[] }
  | ({ kind: 'resume' } & ResumeRequest)
  | { kind: 'interrupted'; step: Step; stillRunning?: number }
  | { kind: 'rehearse'; step: Step; display: string; facts?: Fact[] }
  | { kind: 'drift'; request: DriftRequest };

export type QuestionKind = Question['kind'];

export interface Answers {
  begin: 'start' | 'abort';
  input: string;
  secret: { value: string; store: boolean };
  confirmStep: Decision;
  tasks: Decision;
  failure: Decision;
  resume: 'resume' | 'restart' | 'abort';
  interrupted: Decision;
  rehearse: 'next' | 'abort';
  drift: 'continue' | 'abort';
}

export interface Ask<K extends QuestionKind> {
  id: number;
  question: Extract<Question, { kind: K }>;
  answer(value: Answers[K]): void;
}

export type PendingAsk = { [K in QuestionKind]: Ask<K> }[QuestionKind];

/** Thrown into the engine when the operator aborts while it waits for a value it cannot refuse. */
export class OperatorAbort extends RunAborted {
  constructor() {
    super('aborted by the operator');
  }
}

type Listener = () => void;

export class QuestionQueue {
  private readonly queue: { ask: PendingAsk; reject(error: Error): void }[] = [];
  private readonly listeners = new Set<Listener>();
  private nextId = 1;

  ask<K extends QuestionKind>(question: Extract<Question, { kind: K }>): Promise<Answers[K]> {
    return new Promise<Answers[K]>((resolve, reject) => {
      const id = this.nextId++;
      const ask = {
        id,
        question,
        answer: (value: Answers[K]) => {
          if (!this.remove(id)) return;
          resolve(value);
        },
      } as Ask<K>;
      this.queue.push({
        ask: ask as unknown as PendingAsk,
        reject: (error) => {
          if (this.remove(id)) reject(error);
        },
      });
      this.notify();
    });
  }

  /** The question on screen now. */
  current = (): PendingAsk | undefined => this.queue[0]?.ask;

  /** Refuses every open question (abort, unmount): the engine sees the error and ends the run. */
  rejectAll(error: Error): void {
    for (const entry of [...this.queue]) entry.reject(error);
  }

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private remove(id: number): boolean {
    const i = this.queue.findIndex((entry) => entry.ask.id === id);
    if (i < 0) return false;
    this.queue.splice(i, 1);
    this.notify();
    return true;
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
