import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { ApiPropertyExtra, NumericInput, IsOmittable } from '../platform/index.js';

export class CheckInTokenQueryDto {
  @ApiProperty() @IsString() @Length(20, 200) token: string;
}

const who5Item = () => (target: object, key: string) => {
  ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 5, description: 'WHO-5 item answer (HTML form field)' })(
    target,
    key,
  );
  IsOmittable()(target, key);
  NumericInput({ fromText: true })(target, key);
  IsInt()(target, key);
  Min(0)(target, key);
  Max(5)(target, key);
};

/** A check-in answer, from the HTML form (who5_1 … who5_5 fields) or JSON (`who5` array). */
export class CheckInAnswerDto {
  @ApiProperty() @IsString() @Length(20, 200) token: string;
  @ApiPropertyExtra({ type: 'integer' })
  @ApiPropertyOptional({ minimum: 1, maximum: 5, description: 'After a shift: 1 = very low … 5 = very good' })
  @IsOmittable()
  @NumericInput({ fromText: true })
  @IsInt()
  @Min(1)
  @Max(5)
  mood?: number;
  @ApiPropertyExtra({ type: 'integer' })
  @ApiPropertyOptional({ type: [Number], description: 'The five WHO-5 answers, each 0–5' })
  @IsOmittable()
  @IsArray()
  @ArrayMinSize(5)
  @ArrayMaxSize(5)
  @IsInt({ each: true })
  @Min(0, { each: true })
  @Max(5, { each: true })
  who5?: number[];
  @who5Item() who5_1?: number;
  @who5Item() who5_2?: number;
  @who5Item() who5_3?: number;
  @who5Item() who5_4?: number;
  @who5Item() who5_5?: number;
  @ApiPropertyOptional({ maxLength: 2000, description: 'A private note, encrypted; only you can read it' })
  @IsOmittable()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class StopCheckInsDto {
  @ApiPropertyOptional() @IsOmittable() @IsString() @Length(20, 200) token?: string;
  @ApiPropertyOptional({ example: 'One-Click' }) @IsOmittable() @IsString() @Length(1, 20) 'List-Unsubscribe'?: string;
}

export class ConsentDto {
  @ApiPropertyOptional({ description: 'Optional check-ins after shifts (only you see the answers)' })
  @IsOmittable()
  @IsBoolean()
  checkIns?: boolean;
  @ApiPropertyOptional({
    description: 'At most monthly suggestions of regular shifts when you have not volunteered for a while',
  })
  @IsOmittable()
  @IsBoolean()
  suggestions?: boolean;
}

export class ConsentResponseDto {
  @ApiProperty() checkIns: boolean;
  @ApiProperty() suggestions: boolean;
}

export class Who5AnswerDto {
  @ApiProperty({ type: 'integer', isArray: true, minimum: 0, maximum: 5 }) items: number[];
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 25 }) raw: number;
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 100 }) percentage: number;
}

export class MyCheckInDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['mood', 'who5'] }) kind: string;
  @ApiProperty({ enum: ['scheduled', 'sent', 'answered', 'cancelled'] }) status: string;
  @ApiProperty({ format: 'date-time' }) dueAt: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) answeredAt: string | null;
  @ApiProperty({ nullable: true, type: 'integer' }) mood: number | null;
  @ApiProperty({
    nullable: true,
    type: () => Who5AnswerDto,
    example: { items: [3, 3, 4, 2, 3], raw: 15, percentage: 60 },
  })
  who5: { items: number[]; raw: number; percentage: number } | null;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
}

export class Who5ScoreDto {
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 25 }) raw: number;
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 100 }) percentage: number;
}

export class HelpResourceDto {
  @ApiProperty({ example: 'Samaritans' }) name: string;
  @ApiProperty({ example: 'Call 116 123 (free, any time)' }) contact: string;
  @ApiProperty() description: string;
  @ApiPropertyOptional({ format: 'uri' }) url?: string;
}

/** What a check-in answer gives back: supportive words are chosen from `concern`; help lines for your country. */
export class CheckInOutcomeDto {
  @ApiProperty({ enum: ['mood', 'who5'] }) kind: string;
  @ApiProperty({ enum: ['none', 'low', 'very_low'] }) concern: string;
  @ApiPropertyOptional({ type: Who5ScoreDto }) who5?: Who5ScoreDto;
  @ApiProperty({ type: [HelpResourceDto] }) resources: HelpResourceDto[];
  @ApiProperty({ format: 'date', description: 'When the help lines were last checked' }) resourcesChecked: string;
}

export class CheckInsStoppedDto {
  @ApiProperty({ enum: [false] }) checkIns: boolean;
}

export class SuggestionsStoppedDto {
  @ApiProperty({ enum: [false] }) suggestions: boolean;
}
