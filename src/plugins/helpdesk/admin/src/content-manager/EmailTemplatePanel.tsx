import { useEffect, useState } from 'react';
import { Box, Button, Flex, Typography } from '@strapi/design-system';
import { Mail } from '@strapi/icons';
import { useFetchClient, useForm } from '@strapi/strapi/admin';
import {
  TEMPLATE_KINDS,
  TEMPLATE_VARIABLES,
  isTemplateKey,
  type TemplateDraft,
  type TemplatePreview,
  type TemplateTestMailResult,
} from '../../../shared/template-catalog';
import { problemOf } from '../settings/general/types';
import { EMAIL_TEMPLATE } from '../../../shared/uids';

/** Typing pauses this long before the preview asks the server again. */
const PREVIEW_DELAY_MS = 300;

interface EditViewContext {
  model: string;
  documentId?: string;
}

const asText = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The template as the edit form holds it now, saved or not. */
const useDraft = (): TemplateDraft =>
  useForm('EmailTemplatePanel', (state) => {
    const values = state.values as Record<string, unknown>;
    return { key: asText(values.key), subject: asText(values.subject), body: asText(values.body) };
  });

/** The mail the draft makes for the sample ticket, asked again when typing pauses. */
function usePreview(draft: TemplateDraft) {
  const { post } = useFetchClient();
  const [preview, setPreview] = useState<TemplatePreview | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const { key, subject, body } = draft;
  useEffect(() => {
    if (!isTemplateKey(key)) return undefined;
    let current = true;
    const timer = setTimeout(async () => {
      try {
        const response = await post<{ data: TemplatePreview }>('/helpdesk-admin/templates/preview', { data: { key, subject, body } });
        if (current) {
          setPreview(response.data.data);
          setProblem(null);
        }
      } catch (error) {
        if (current) setProblem(problemOf(error).message);
      }
    }, PREVIEW_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [post, key, subject, body]);
  return { preview, problem };
}

const Section = ({ title, children }: { title: string; children: React.ReactNode }) => (
  <Flex direction="column" alignItems="stretch" gap={1}>
    <Typography variant="sigma" textColor="neutral600" tag="h3">
      {title}
    </Typography>
    {children}
  </Flex>
);

function TestMailButton({ draft }: { draft: TemplateDraft }) {
  const { post } = useFetchClient();
  const [sending, setSending] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; message: string } | null>(null);
  const send = async () => {
    setSending(true);
    setOutcome(null);
    try {
      // one id per click: a repeated request queues no second mail
      const data = { ...draft, requestId: crypto.randomUUID() };
      const response = await post<{ data: TemplateTestMailResult }>('/helpdesk-admin/templates/test-mail', { data });
      const result = response.data.data;
      setOutcome(result.suppressed ? { ok: false, message: `Not sent: ${result.suppressed}` } : { ok: true, message: `Sent to ${result.to} through the outbox.` });
    } catch (error) {
      setOutcome({ ok: false, message: problemOf(error).message });
    } finally {
      setSending(false);
    }
  };
  return (
    <Flex direction="column" alignItems="stretch" gap={2}>
      <Button variant="secondary" startIcon={<Mail />} loading={sending} disabled={!draft.subject.trim()} onClick={send} fullWidth>
        Send me a test
      </Button>
      {outcome && (
        <Typography variant="pi" textColor={outcome.ok ? 'success600' : 'danger600'} role="status" data-testid="template-test-result">
          {outcome.message}
        </Typography>
      )}
    </Flex>
  );
}

function TemplateHelp() {
  const draft = useDraft();
  const { preview, problem } = usePreview(draft);
  if (!isTemplateKey(draft.key)) {
    return (
      <Typography variant="pi" textColor="neutral600">
        {draft.key
          ? `The helpdesk sends no mail with the key “${draft.key}”: this template is kept for its words only (mailed-in tickets get “ticket_confirmation”).`
          : `The key names the mail this template is for: ${Object.keys(TEMPLATE_KINDS).join(', ')}.`}
      </Typography>
    );
  }
  const kind = TEMPLATE_KINDS[draft.key];
  return (
    <Flex direction="column" alignItems="stretch" gap={4} width="100%">
      <Typography variant="pi" textColor="neutral600">
        {kind.when}. The body is HTML; the mail's plain-text part is made from it.
      </Typography>
      <Section title="Preview (sample ticket)">
        {problem && (
          <Typography variant="pi" textColor="danger600" role="alert">
            {problem}
          </Typography>
        )}
        {preview && (
          <>
            <Typography variant="omega" fontWeight="bold" data-testid="template-preview-subject">
              {preview.subject}
            </Typography>
            <Box borderColor="neutral200" hasRadius background="neutral0" overflow="hidden">
              {/* the template is staff's own HTML: shown sandboxed, no scripts, no access to the admin page */}
              <iframe title="Mail preview" sandbox="" srcDoc={preview.html} style={{ width: '100%', height: 280, border: 0, display: 'block' }} />
            </Box>
            {preview.unknown.length > 0 && (
              <Typography variant="pi" textColor="warning600" data-testid="template-preview-unknown">
                Not variables of this template, left as written: {preview.unknown.map((name) => `{${name}}`).join(', ')}
              </Typography>
            )}
            <details>
              <summary>
                <Typography variant="pi">Plain-text part</Typography>
              </summary>
              <Box padding={2} background="neutral100" hasRadius>
                <Typography variant="pi" tag="pre" style={{ whiteSpace: 'pre-wrap', margin: 0 }} data-testid="template-preview-text">
                  {preview.text}
                </Typography>
              </Box>
            </details>
          </>
        )}
      </Section>
      <TestMailButton draft={draft} />
      <Section title="Variables">
        <Flex tag="dl" direction="column" alignItems="stretch" gap={2} data-testid="template-variables">
          {kind.variables.map((name) => (
            <Box key={name}>
              <Typography tag="dt" variant="pi" fontWeight="bold">
                <code>{`{${name}}`}</code>
              </Typography>
              <Typography tag="dd" variant="pi" textColor="neutral600" style={{ margin: 0 }}>
                {TEMPLATE_VARIABLES[name].meaning}
              </Typography>
            </Box>
          ))}
        </Flex>
      </Section>
    </Flex>
  );
}

/** On an email template's edit page: what it is for, its variables, a live preview and a test mail to oneself. */
export const EmailTemplatePanel = ({ model }: EditViewContext) => {
  if (model !== EMAIL_TEMPLATE) return null;
  return { title: 'Preview and variables', content: <TemplateHelp /> };
};
