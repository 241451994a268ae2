import { Printer } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import type { PlantLine, PlantMachine } from '../plant/plant-api.ts';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** Prints only the label, from a hidden frame, so the page around it stays out of the print. */
function printLabel(machine: PlantMachine, line: PlantLine | undefined, svg: string) {
  const frame = document.createElement('iframe');
  frame.setAttribute('aria-hidden', 'true');
  frame.style.cssText = 'position:fixed;width:0;height:0;border:0;right:0;bottom:0';
  document.body.append(frame);
  const doc = frame.contentDocument;
  const win = frame.contentWindow;
  if (!doc || !win) return frame.remove();
  doc.open();
  doc.write(`<!doctype html><html><head><title>${escapeHtml(machine.code)}</title><style>
    @page { size: 62mm 80mm; margin: 3mm; }
    body { font-family: system-ui, sans-serif; margin: 0; text-align: center; color: #000; }
    .code { font: 700 20pt ui-monospace, monospace; margin: 0; }
    .name { font-size: 11pt; margin: 1mm 0; }
    .line { font-size: 9pt; margin: 0 0 2mm; }
    svg { width: 48mm; height: 48mm; }
  </style></head><body>
    <p class="code">${escapeHtml(machine.code)}</p>
    <p class="name">${escapeHtml(machine.name)}</p>
    <p class="line">${line ? escapeHtml(`${line.code} · ${line.name}`) : ''}</p>
    ${svg}
  </body></html>`);
  doc.close();
  win.focus();
  win.print();
  window.setTimeout(() => frame.remove(), 1000);
}

export function MachineQrLabel({ machine, line }: { machine: PlantMachine; line?: PlantLine }) {
  const { t } = useTranslation();
  const url = `${location.origin}/app/machines/${machine.id}`;
  const [svg, setSvg] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let live = true;
    import('qrcode')
      .then(({ default: QRCode }) =>
        QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }),
      )
      .then((text) => live && setSvg(text))
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [url]);

  return (
    <section
      aria-labelledby="qr-label"
      className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
    >
      <h2 id="qr-label" className="mb-2 font-semibold">
        {t('machine.qrLabel')}
      </h2>
      <div className="mx-auto w-44 rounded-md bg-white p-2 text-center text-black" data-testid="machine-qr">
        <p className="font-mono text-lg font-bold">{machine.code}</p>
        <p className="truncate text-xs">{machine.name}</p>
        {line && <p className="truncate text-xs text-slate-600">{`${line.code} · ${line.name}`}</p>}
        {svg ? (
          <div role="img" aria-label={url} dangerouslySetInnerHTML={{ __html: svg }} />
        ) : (
          <p className="py-10 text-xs">{failed ? t('machine.qrFailed') : t('common.loading')}</p>
        )}
      </div>
      <p className="mt-2 text-center text-xs break-all text-slate-500">{url}</p>
      <Button
        tone="secondary"
        className="mt-3 w-full"
        disabled={!svg}
        onClick={() => svg && printLabel(machine, line, svg)}
      >
        <Printer aria-hidden className="size-4" />
        {t('machine.printLabel')}
      </Button>
    </section>
  );
}
