import { useCallback, useEffect, useRef, useState } from 'react';
import { Button, Flex, Typography } from '@strapi/design-system';
import { Eye } from '@strapi/icons';
import type { MailDocument } from './mail-html';

/**
 * An HTML mail in a sandboxed iframe: no script runs (no allow-scripts), its styles cannot touch
 * the panel nor the panel's the mail, links open in a new tab. allow-same-origin only lets the
 * panel measure the document to fit the frame's height to it.
 */
const SANDBOX = 'allow-same-origin allow-popups allow-popups-to-escape-sandbox';

export const MailBody = ({ title, mail, onShowImages }: { title: string; mail: MailDocument & { imagesShown: boolean }; onShowImages: () => void }) => {
  const frame = useRef<HTMLIFrameElement>(null);
  const [height, setHeight] = useState(80);

  // measured with the frame at no height, so that the frame shrinks again (quoted history folded back)
  const fit = useCallback(() => {
    const element = frame.current;
    const doc = element?.contentDocument;
    if (!element || !doc?.documentElement) return;
    element.style.height = '0px';
    const contentHeight = Math.ceil(doc.documentElement.scrollHeight);
    element.style.height = `${contentHeight}px`;
    setHeight(contentHeight);
  }, []);

  // opening or closing the quoted history changes the mail's height (toggle does not bubble: captured)
  const onLoad = useCallback(() => {
    fit();
    frame.current?.contentDocument?.addEventListener('toggle', fit, true);
  }, [fit]);

  // the frame's width follows the panel's; its content's height follows the width
  useEffect(() => {
    const element = frame.current;
    if (!element || typeof ResizeObserver === 'undefined') return undefined;
    const observer = new ResizeObserver(fit);
    observer.observe(element);
    return () => observer.disconnect();
  }, [fit]);

  return (
    <Flex direction="column" alignItems="stretch" gap={2}>
      {mail.remoteImages > 0 && !mail.imagesShown && (
        <Flex gap={3} padding={2} background="neutral100" hasRadius justifyContent="space-between" data-remote-images={mail.remoteImages}>
          <Typography variant="pi" textColor="neutral700">
            {mail.remoteImages === 1 ? 'A remote image is' : `${mail.remoteImages} remote images are`} not loaded, so the sender cannot see that the mail was opened.
          </Typography>
          <Button variant="tertiary" size="S" startIcon={<Eye />} onClick={onShowImages}>
            Show images
          </Button>
        </Flex>
      )}
      <iframe ref={frame} title={title} sandbox={SANDBOX} srcDoc={mail.srcdoc} onLoad={onLoad} style={{ border: 0, display: 'block', width: '100%', height }} />
    </Flex>
  );
};
