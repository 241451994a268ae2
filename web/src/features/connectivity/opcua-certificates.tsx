import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Download } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Badge } from '../../components/ui/badge.tsx';
import { Button } from '../../components/ui/button.tsx';
import { ConfirmDialog } from '../../components/ui/confirm-dialog.tsx';
import { ErrorState } from '../../components/ui/empty-state.tsx';
import { Table, Td, Th, Tr } from '../../components/ui/table.tsx';
import { useToast } from '../../components/ui/toast.tsx';
import { downloadFile } from '../../lib/download.ts';
import { formatMoment } from '../../lib/format.ts';
import { problemText } from '../../lib/form-errors.ts';
import {
  fetchCertificates,
  opcuaKeys,
  OWN_CERTIFICATE_PATH,
  setCertificateTrust,
  type OpcuaCertificate,
} from './opcua-api.ts';

/** 40 hex digits in groups of four, easier to compare with what a server's admin page shows. */
const grouped = (thumbprint: string) => thumbprint.replace(/(.{4})(?=.)/g, '$1 ');

/**
 * HOM's OPC-UA certificate store: its own certificate to download (for servers that use Sign or
 * SignAndEncrypt) and the servers' certificates, trusted on first sight, with reject and trust.
 */
export function OpcuaCertificates() {
  const { t } = useTranslation();
  const toast = useToast();
  const queryClient = useQueryClient();
  const certificates = useQuery({ queryKey: opcuaKeys.certificates, queryFn: fetchCertificates });
  const [rejecting, setRejecting] = useState<OpcuaCertificate | null>(null);
  const change = useMutation({
    mutationFn: ({ thumbprint, action }: { thumbprint: string; action: 'trust' | 'reject' }) =>
      setCertificateTrust(thumbprint, action),
    onSuccess: (certificate) => {
      setRejecting(null);
      toast.success(t(`connectivity.certificates.${certificate.status}Done`));
      void queryClient.invalidateQueries({ queryKey: opcuaKeys.certificates });
    },
    onError: (error) => {
      setRejecting(null);
      toast.error(problemText(error, t('common.saveFailed')));
    },
  });
  const download = useMutation({
    mutationFn: () => downloadFile(OWN_CERTIFICATE_PATH, 'hom-opcua-client.pem'),
    onError: (error) => toast.error(problemText(error, t('common.loadFailed'))),
  });

  if (certificates.isPending) return null;
  if (certificates.isError)
    return <ErrorState error={certificates.error} onRetry={() => void certificates.refetch()} />;
  const { own, servers } = certificates.data;
  return (
    <div className="space-y-3 text-sm" data-testid="opcua-certificates">
      <div>
        <h2 className="text-lg font-semibold">{t('connectivity.certificates.title')}</h2>
        <p className="text-slate-600 dark:text-slate-400">{t('connectivity.certificates.hint')}</p>
      </div>
      {own ? (
        <div className="flex flex-wrap items-center gap-3">
          <div>
            <p className="font-medium">{t('connectivity.certificates.own')}</p>
            <p className="font-mono text-xs text-slate-500" data-testid="own-thumbprint">
              {grouped(own.thumbprint)}
            </p>
            <p className="text-xs text-slate-500">
              {t('connectivity.certificates.validTo', { date: formatMoment(own.valid_to) })}
            </p>
          </div>
          <Button tone="secondary" busy={download.isPending} onClick={() => download.mutate()}>
            <Download aria-hidden className="size-4" />
            {t('connectivity.certificates.download')}
          </Button>
        </div>
      ) : (
        <p className="text-slate-500">{t('connectivity.certificates.noOwn')}</p>
      )}
      {servers.length === 0 ? (
        <p className="text-slate-500">{t('connectivity.certificates.noServers')}</p>
      ) : (
        <Table caption={t('connectivity.certificates.servers')}>
          <thead>
            <tr>
              <Th>{t('connectivity.certificates.server')}</Th>
              <Th>{t('connectivity.certificates.thumbprint')}</Th>
              <Th>{t('connectivity.certificates.validUntil')}</Th>
              <Th>{t('connectivity.certificates.status')}</Th>
              <Th />
            </tr>
          </thead>
          <tbody>
            {servers.map((certificate) => (
              <Tr key={certificate.thumbprint} data-testid={`certificate-${certificate.thumbprint}`}>
                <Td>
                  <p>{certificate.application_uri ?? certificate.subject}</p>
                  {certificate.application_uri && (
                    <p className="text-xs text-slate-500">{certificate.subject}</p>
                  )}
                </Td>
                <Td className="font-mono text-xs">{grouped(certificate.thumbprint)}</Td>
                <Td>{formatMoment(certificate.valid_to)}</Td>
                <Td>
                  <Badge tone={certificate.status === 'trusted' ? 'good' : 'bad'}>
                    {t(`connectivity.certificates.${certificate.status}`)}
                  </Badge>
                </Td>
                <Td>
                  {certificate.status === 'trusted' ? (
                    <Button tone="secondary" onClick={() => setRejecting(certificate)}>
                      {t('connectivity.certificates.reject')}
                    </Button>
                  ) : (
                    <Button
                      tone="secondary"
                      busy={change.isPending}
                      onClick={() => change.mutate({ thumbprint: certificate.thumbprint, action: 'trust' })}
                    >
                      {t('connectivity.certificates.trust')}
                    </Button>
                  )}
                </Td>
              </Tr>
            ))}
          </tbody>
        </Table>
      )}
      <ConfirmDialog
        open={rejecting !== null}
        title={t('connectivity.certificates.rejectTitle')}
        message={t('connectivity.certificates.rejectConfirm', {
          server: rejecting?.application_uri ?? rejecting?.subject ?? '',
        })}
        confirmLabel={t('connectivity.certificates.reject')}
        busy={change.isPending}
        onConfirm={() => rejecting && change.mutate({ thumbprint: rejecting.thumbprint, action: 'reject' })}
        onCancel={() => setRejecting(null)}
      />
    </div>
  );
}
