import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, Length, MaxLength } from 'class-validator';
import { ApiPropertyExtra } from '../platform/index.js';

export class SignInRequestDto {
  @ApiPropertyExtra({ format: 'email' })
  @ApiProperty({ example: 'sam@example.org', maxLength: 254 })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;
}

export class LinkTokenDto {
  @ApiProperty({
    description: 'The token from the emailed link',
    example: 'q3F0bS1FeGFtcGxlLXRva2VuLTQzLWNoYXJzLWxvbmc',
  })
  @IsString()
  @Length(20, 200)
  token: string;
}

export class SessionResponseDto {
  @ApiProperty({ description: 'Bearer token for API clients. Shown once.' }) token: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
  @ApiProperty({ enum: ['volunteer', 'coordinator'] }) role: string;
}

export class AcceptedResponseDto {
  @ApiProperty({ example: 'If this address has an account, a link is on its way.' }) message: string;
}

export class CreateApiKeyDto {
  @ApiProperty({ example: 'Rota system', minLength: 1, maxLength: 100 })
  @IsString()
  @Length(1, 100)
  name: string;
}

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: 'ks_key_AbC123' }) prefix: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastUsedAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) revokedAt: string | null;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ description: 'The key itself. Shown only in this response; store it safely.' }) key: string;
}

export class ChangeEmailDto {
  @ApiProperty({
    example: 'sam.new@example.org',
    format: 'email',
    maxLength: 254,
    description: 'The new address; a confirmation link is sent to it',
  })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;
}

export class EmailChangedDto {
  @ApiProperty({ example: 'sam.new@example.org', format: 'email', description: 'The account’s address from now on' })
  email: string;
}

export class EmailChangeCancelledDto {
  @ApiProperty({ example: 'The change of your email address is cancelled.' }) message: string;
}
