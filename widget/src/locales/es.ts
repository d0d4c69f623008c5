
    // Do not modify this file by hand!
    // Re-generate this file by running lit-localize

    
    import {str} from '@lit/localize';

    /* eslint-disable no-irregular-whitespace */
    /* eslint-disable @typescript-eslint/no-explicit-any */

    export const templates = {
      's08c65dfec77a6af9': `Estado de la entrega`,
's1da50951bdd7a204': `Canal`,
's219e7bf9358517cd': `Estado del cliente`,
's2c7c3519fc0e4d6b': str`No hay mensajes salientes de los últimos ${0} días.`,
's361780554d456803': `No ha iniciado sesión en C2M o no tiene permiso para ver estos mensajes salientes.`,
's367fbabc0f069343': `Tipo de cliente`,
's3a56aad92862bd35': `Reintentar ahora`,
's3ac84dc062f6062e': `Se perdió la conexión; reconectando…`,
's3ebbbbb7bf44c718': `Mensajes en la app`,
's3ec4da71c1a62754': `En cola`,
's43b0fb659b73978b': `Cargando los mensajes salientes…`,
's4d864c0f2bd4c415': `Número del IVR`,
's53c12df2ad48b2a4': `Entorno de pruebas`,
's567fd993ca5fec7f': `Mensajes salientes`,
's57ade424d57c6edf': `Enviado`,
's60c999bfc4725756': `ID de cliente`,
's6eef7fb194430af6': `Respondido`,
's740d542bbe696de5': `Leído`,
's7a07940a2b62f185': `Sucursal`,
's7cb4e55c59663b1c': `Empresa`,
's7cda4c2ae5ff41fb': `La sesión expiró: vuelva a iniciar sesión para ver los mensajes salientes.`,
's8a6c0085cb6c64a0': `Género`,
's8ca3b021833cbf6f': `Entregado`,
's98d29e1feb3ed2ee': `Todavía no se envió`,
'sa3b02b7c617b5236': `Se revocó esta clave de instalación: pida a su administrador un nuevo enlace del widget.`,
'saad94a09f59a3932': `Contexto de la llamada`,
'sad5b4008337f8c45': `Transferencia`,
'sb730e0a376b9a296': `Habilidad`,
'sb8a3d4df7d1c5e6b': `Saldo`,
'sbf9c5c5a8e5efad4': `Fallido`,
'sc15ad44c7902a717': `Omitido`,
'sc1ea4eabdf604b0b': `Volver a iniciar sesión`,
'scd1dd6ff53d0d01a': `Intentar de nuevo`,
'sd4bf6e12ab7adb5a': str`Mensaje de ${0}: ${1}`,
'sd74966277eddf1e2': `No hay mensajes salientes del último día.`,
'se2bbd7c43d4f67cc': `No se pudieron cargar los mensajes salientes. Vuelva a intentarlo más tarde.`,
'sef49aec68fd1dc66': `Nombre`,
'sefcf950b3cc4fc3b': `Idioma`,
'sefef15ec6db1e60b': `En cola, todavía no se envió`,
'sf6a696962e4022db': str`Conversación ${0} · ${1} · iniciada el`,
    };
  