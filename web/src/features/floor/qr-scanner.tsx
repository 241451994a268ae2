import jsQR from 'jsqr';
import { CameraOff } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';

type CameraProblem = 'noCamera' | 'denied' | 'failed';

/** The machine id in a label's URL (".../app/machines/42"), or null. */
export function machineIdFromQr(text: string): number | null {
  const match = /\/app\/machines\/(\d+)(?:[/?#]|$)/.exec(text.trim());
  return match?.[1] ? Number(match[1]) : null;
}

/** Reads machine QR labels with the camera (getUserMedia, frames decoded with jsQR on a canvas). */
export function QrScanner({ onMachine, onClose }: { onMachine: (id: number) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const videoRef = useRef<HTMLVideoElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [problem, setProblem] = useState<CameraProblem | null>(null);
  const [unknownCode, setUnknownCode] = useState(false);
  const onMachineRef = useRef(onMachine);
  onMachineRef.current = onMachine;

  useEffect(() => {
    let stream: MediaStream | null = null;
    let frame = 0;
    let stopped = false;
    const scan = () => {
      if (stopped) return;
      const video = videoRef.current;
      const canvas = canvasRef.current;
      if (video && canvas && video.readyState >= video.HAVE_ENOUGH_DATA && video.videoWidth > 0) {
        const scale = Math.min(1, 640 / video.videoWidth);
        canvas.width = Math.round(video.videoWidth * scale);
        canvas.height = Math.round(video.videoHeight * scale);
        const context = canvas.getContext('2d', { willReadFrequently: true });
        if (context) {
          context.drawImage(video, 0, 0, canvas.width, canvas.height);
          const image = context.getImageData(0, 0, canvas.width, canvas.height);
          const code = jsQR(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' });
          if (code) {
            const id = machineIdFromQr(code.data);
            if (id !== null) {
              onMachineRef.current(id);
              return;
            }
            setUnknownCode(true);
          }
        }
      }
      frame = requestAnimationFrame(scan);
    };
    (async () => {
      if (!navigator.mediaDevices?.getUserMedia) {
        setProblem('noCamera');
        return;
      }
      try {
        stream = await navigator.mediaDevices.getUserMedia({
          video: { facingMode: 'environment' },
          audio: false,
        });
        if (stopped) return;
        const video = videoRef.current;
        if (!video) return;
        video.srcObject = stream;
        await video.play();
        frame = requestAnimationFrame(scan);
      } catch (error) {
        const name = error instanceof DOMException ? error.name : '';
        setProblem(
          name === 'NotAllowedError' || name === 'SecurityError'
            ? 'denied'
            : name === 'NotFoundError' || name === 'OverconstrainedError'
              ? 'noCamera'
              : 'failed',
        );
      }
    })();
    return () => {
      stopped = true;
      cancelAnimationFrame(frame);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, []);

  return (
    <div className="space-y-3 rounded-xl border-2 border-slate-300 bg-white p-4 dark:border-slate-600 dark:bg-slate-900">
      {problem ? (
        <div role="alert" className="flex flex-col items-center gap-2 py-8 text-center">
          <CameraOff aria-hidden className="size-10 text-slate-500" />
          <p className="text-lg font-semibold">{t(`floor.camera.${problem}`)}</p>
          <p className="text-sm text-slate-600 dark:text-slate-400">{t('floor.camera.pickInstead')}</p>
        </div>
      ) : (
        <div className="relative mx-auto aspect-[4/3] w-full max-w-xl overflow-hidden rounded-lg bg-black">
          <video ref={videoRef} muted playsInline className="size-full object-cover" />
          <div aria-hidden className="absolute inset-[15%] rounded-lg border-4 border-white/80" />
        </div>
      )}
      <canvas ref={canvasRef} className="hidden" />
      {unknownCode && !problem && (
        <p className="text-center text-sm text-amber-800 dark:text-amber-300">
          {t('floor.camera.notAMachine')}
        </p>
      )}
      <Button tone="secondary" className="min-h-16 w-full text-lg" onClick={onClose}>
        {t('floor.camera.close')}
      </Button>
    </div>
  );
}
