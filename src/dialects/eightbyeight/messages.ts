/** 8x8's message for code 1002 (the Contacts OpenAPI file's example). */
export const MSISDN_MESSAGE = 'Invalid MSISDN format (not E.164 international number)';
